package dev.latchkey.auth.jose;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Creates JWS compact serializations (RFC 7515 section 7.1) with one algorithm and one key.
 *
 * <p>The key is checked against the algorithm once, when the signer is created. Instances are
 * immutable and thread-safe; each call creates its own {@link java.security.Signature}.
 */
public final class JwsSigner {

  private final JwsAlgorithm algorithm;
  private final Key key;

  private JwsSigner(JwsAlgorithm algorithm, Key key) {
    this.algorithm = algorithm;
    this.key = key;
  }

  /**
   * Creates a signer.
   *
   * @param key a private key for RSA and EC algorithms, a secret key for HMAC
   * @throws JoseException if the key does not suit the algorithm (wrong type, curve or size)
   */
  public static JwsSigner of(JwsAlgorithm algorithm, Key key) {
    Objects.requireNonNull(algorithm, "algorithm");
    algorithm.checkKey(key, true);
    return new JwsSigner(algorithm, key);
  }

  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Signs a JSON claims set as a JWT.
   *
   * @param header protected header members besides {@code alg}, such as {@code kid} or {@code typ}
   * @param claims the claims, written as a JSON object
   * @return the compact serialization {@code header.payload.signature}
   * @throws JoseException if {@code header} contains an {@code alg} other than this signer's
   */
  public String signJson(Map<String, ?> header, Map<String, ?> claims) {
    return sign(header, JoseJson.write(claims));
  }

  /**
   * Signs a payload; the protected header is {@code alg} followed by the members of {@code header}.
   *
   * @throws JoseException if {@code header} contains an {@code alg} other than this signer's
   */
  public String sign(Map<String, ?> header, byte[] payload) {
    Objects.requireNonNull(header, "header");
    Object declared = header.get("alg");
    if (declared != null && !algorithm.name().equals(declared)) {
      throw new JoseException("Header member 'alg' is '" + declared + "', but this signer uses " + algorithm);
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("alg", algorithm.name());
    members.putAll(header);
    return signEncoded(JoseJson.write(members), payload);
  }

  /**
   * Signs a payload with a protected header given as its exact bytes, which are base64url-encoded
   * unchanged. Use it to reproduce a JWS whose header has particular spacing or member order.
   *
   * @throws JoseException if the header is not a JSON object whose {@code alg} is this signer's
   */
  public String signWithHeaderBytes(byte[] protectedHeader, byte[] payload) {
    Objects.requireNonNull(protectedHeader, "protectedHeader");
    Object declared = JoseJson.parseObject(protectedHeader, "JWS protected header").get("alg");
    if (!algorithm.name().equals(declared)) {
      throw new JoseException("Header member 'alg' is '" + declared + "', but this signer uses " + algorithm);
    }
    return signEncoded(protectedHeader, payload);
  }

  private String signEncoded(byte[] protectedHeader, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    String signingInput = Base64Url.encode(protectedHeader) + "." + Base64Url.encode(payload);
    byte[] signature = algorithm.sign(key, signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64Url.encode(signature);
  }

  @Override
  public String toString() {
    return "JwsSigner[" + algorithm + "]";
  }
}
