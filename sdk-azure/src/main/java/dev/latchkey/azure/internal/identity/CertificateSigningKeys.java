package dev.latchkey.azure.internal.identity;

import dev.latchkey.auth.SigningKey;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.credentials.ClientCertificate;
import java.security.interfaces.ECKey;

/**
 * Chooses how a client certificate signs Entra ID client assertions.
 *
 * <p>The Microsoft identity platform documents PS256 with the {@code x5t#S256} header (the SHA-256
 * thumbprint of the certificate) for certificate credentials, so RSA keys sign with PS256. EC keys
 * sign with the ECDSA algorithm of their curve.
 *
 * <p>NOTE: the Microsoft documentation shows RSA certificates only; EC assertions are tested against
 * mock-oauth2-server, not against Entra ID.
 */
public final class CertificateSigningKeys {

  private CertificateSigningKeys() {}

  /**
   * Returns a signing key for the certificate's private key, identified by {@code x5t#S256}.
   *
   * @throws IllegalArgumentException if the key is neither RSA nor EC on P-256, P-384 or P-521
   */
  public static SigningKey of(ClientCertificate certificate) {
    return SigningKey.builder()
        .algorithm(algorithmFor(certificate))
        .privateKey(certificate.privateKey())
        .certificate(certificate.leaf())
        .build();
  }

  private static JwsAlgorithm algorithmFor(ClientCertificate certificate) {
    if (certificate.privateKey().getAlgorithm().equals("RSA")) {
      return JwsAlgorithm.PS256;
    }
    if (certificate.privateKey() instanceof ECKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      switch (bits) {
        case 256: return JwsAlgorithm.ES256;
        case 384: return JwsAlgorithm.ES384;
        case 521: return JwsAlgorithm.ES512;
        default: break;
      }
    }
    throw new IllegalArgumentException("Unsupported key in client certificate " + certificate.id()
        + ": use an RSA key, or an EC key on P-256, P-384 or P-521");
  }
}
