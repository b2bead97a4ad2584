package dev.latchkey.auth.jose;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed JWS in compact serialization (RFC 7515 section 7.1), such as a JWT, and the checks of its
 * signature.
 *
 * <p>Parsing checks the form only; nothing is trusted until {@link #verify(Key)} or {@link
 * #verify(JwkSet)} succeeds. The {@code none} algorithm and unknown algorithms are rejected at
 * parse time, and a header with a {@code crit} member is rejected because no extension is
 * understood. {@link #toString()} shows the header only. Instances are immutable and thread-safe.
 */
public final class Jws {

  private final Map<String, Object> header;
  private final JwsAlgorithm algorithm;
  private final byte[] payload;
  private final byte[] signingInput;
  private final byte[] signature;

  private Jws(Map<String, Object> header, byte[] payload, byte[] signingInput, byte[] signature) {
    this.header = Collections.unmodifiableMap(header);
    this.algorithm = JwsAlgorithm.fromName(String.valueOf(header.get("alg")));
    this.payload = payload;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  /**
   * Parses a compact serialization {@code header.payload.signature}.
   *
   * @throws JoseException if it does not have three base64url parts, the header is not a JSON
   *     object, or {@code alg} is missing, {@code none} or unsupported
   */
  public static Jws parse(String compact) {
    String[] parts = split(compact);
    return parseParts(parts[0], Base64Url.decode(parts[1], "JWS payload"), parts[1], parts[2]);
  }

  /**
   * Parses a compact serialization with a detached payload (RFC 7515 Appendix F): the middle part
   * is empty and the payload is given separately.
   *
   * @throws JoseException as {@link #parse(String)} does, or if the middle part is not empty
   */
  public static Jws parseDetached(String compact, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    String[] parts = split(compact);
    if (!parts[1].isEmpty()) {
      throw new JoseException("Invalid detached JWS: the payload part must be empty");
    }
    return parseParts(parts[0], payload.clone(), Base64Url.encode(payload), parts[2]);
  }

  private static Jws parseParts(String encodedHeader, byte[] payload, String encodedPayload, String encodedSignature) {
    byte[] headerBytes = Base64Url.decode(encodedHeader, "JWS header");
    Map<String, Object> header = JoseJson.parseObject(headerBytes, "JWS header");
    if (!(header.get("alg") instanceof String)) {
      throw new JoseException("Invalid JWS header: the member 'alg' is missing or not a string");
    }
    if (header.containsKey("crit")) {
      throw new JoseException("Unsupported JWS header member 'crit': no JWS extensions are supported");
    }
    byte[] signature = Base64Url.decode(encodedSignature, "JWS signature");
    byte[] signingInput = (encodedHeader + "." + encodedPayload).getBytes(StandardCharsets.US_ASCII);
    return new Jws(header, payload, signingInput, signature);
  }

  private static String[] split(String compact) {
    Objects.requireNonNull(compact, "compact");
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      throw new JoseException("Invalid JWS compact serialization: it has " + parts.length
          + " dot-separated parts, but needs 3 (a JWE has 5 and is not supported)");
    }
    return parts;
  }

  /** Returns the protected header; unmodifiable. */
  public Map<String, Object> header() {
    return header;
  }

  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  /** Returns the {@code kid} header member, if present and a string. */
  public Optional<String> keyId() {
    return header.get("kid") instanceof String keyId ? Optional.of(keyId) : Optional.empty();
  }

  /** Returns a copy of the payload bytes. */
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * Returns the payload parsed as a JSON object, as the claims of a JWT are.
   *
   * @throws JoseException if the payload is not a JSON object
   */
  public Map<String, Object> claims() {
    return Collections.unmodifiableMap(JoseJson.parseObject(payload, "JWT claims set"));
  }

  /**
   * Returns whether the signature is valid under {@code key} with the header's algorithm.
   *
   * @throws JoseException if the key does not suit the header's algorithm, so a token that names
   *     HS256 can never be checked with an RSA public key taken as an HMAC secret
   */
  public boolean verify(Key key) {
    return algorithm.verify(key, signingInput, signature);
  }

  /**
   * Verifies the signature with the key of {@code keys} that the header's {@code kid} names, or, if
   * the header has no {@code kid}, with the one key in the set that suits the algorithm.
   *
   * @return the key that verified the signature
   * @throws JoseException if no key matches, the matching key's {@code alg} differs from the
   *     header's, or the signature is invalid
   */
  public Jwk verify(JwkSet keys) {
    Objects.requireNonNull(keys, "keys");
    Jwk key = selectKey(keys);
    if (key.algorithm().filter(declared -> !declared.equals(algorithm.name())).isPresent()) {
      throw new JoseException("JWS algorithm " + algorithm + " does not match the 'alg' "
          + key.algorithm().get() + " of key " + key.keyId().orElse("(no kid)"));
    }
    if (!verify(key.verificationKey())) {
      throw new JoseException("Invalid JWS signature: it does not verify with key "
          + key.keyId().orElse("(no kid)"));
    }
    return key;
  }

  private Jwk selectKey(JwkSet keys) {
    Optional<String> keyId = keyId();
    if (keyId.isPresent()) {
      return keys.findByKeyId(keyId.get()).orElseThrow(() -> new JoseException(
          "No key with kid '" + keyId.get() + "' in the JWK Set: the issuer may have rotated its keys"));
    }
    Jwk found = null;
    for (Jwk key : keys.keys()) {
      if (key.keyType().equals(algorithm.keyType())) {
        if (found != null) {
          throw new JoseException("The JWS has no kid and the JWK Set has several "
              + algorithm.keyType() + " keys: cannot tell which one signed it");
        }
        found = key;
      }
    }
    if (found == null) {
      throw new JoseException("No " + algorithm.keyType() + " key in the JWK Set for a " + algorithm + " JWS");
    }
    return found;
  }

  @Override
  public String toString() {
    return "Jws[header=" + header + "]";
  }
}
