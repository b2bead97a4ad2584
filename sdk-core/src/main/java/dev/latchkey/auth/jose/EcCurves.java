package dev.latchkey.auth.jose;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Map;

/** The three NIST curves of JWK (RFC 7518 section 6.2.1.1), by JWK name and JDK parameters. */
final class EcCurves {

  private static final Map<String, String> STANDARD_NAMES =
      Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

  private static final Map<String, ECParameterSpec> PARAMETERS = Map.of(
      "P-256", load("P-256"), "P-384", load("P-384"), "P-521", load("P-521"));

  private EcCurves() {}

  /**
   * Returns the parameters of the curve with this JWK name.
   *
   * @throws JoseException if the name is not P-256, P-384 or P-521
   */
  static ECParameterSpec parameters(String jwkName) {
    ECParameterSpec spec = PARAMETERS.get(jwkName);
    if (spec == null) {
      throw new JoseException("Unsupported EC curve '" + jwkName + "': use P-256, P-384 or P-521");
    }
    return spec;
  }

  private static ECParameterSpec load(String jwkName) {
    String standardName = STANDARD_NAMES.get(jwkName);
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(standardName));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new JoseException("The JDK does not support EC curve " + jwkName, e);
    }
  }

  /** Returns the JWK name of the curve with these parameters, or {@code "unknown"}. */
  static String nameOf(ECParameterSpec spec) {
    for (Map.Entry<String, ECParameterSpec> entry : PARAMETERS.entrySet()) {
      ECParameterSpec standard = entry.getValue();
      if (standard.getOrder().equals(spec.getOrder())
          && standard.getCurve().equals(spec.getCurve())
          && standard.getGenerator().equals(spec.getGenerator())) {
        return entry.getKey();
      }
    }
    return "unknown";
  }

  /** Returns the length in bytes of one coordinate on the named curve. */
  static int coordinateLength(String jwkName) {
    return (parameters(jwkName).getCurve().getField().getFieldSize() + 7) / 8;
  }
}
