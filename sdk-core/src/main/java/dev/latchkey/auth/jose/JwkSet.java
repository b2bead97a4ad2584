package dev.latchkey.auth.jose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JWK Set (RFC 7517 section 5): the {@code keys} an issuer publishes at its {@code jwks_uri}.
 *
 * <p>Entries whose {@code kty} this package does not support (for example {@code OKP}) are skipped
 * when parsing, as RFC 7517 section 5 recommends; a supported entry that is malformed is an error.
 * Instances are immutable and thread-safe.
 */
public final class JwkSet {

  private final List<Jwk> keys;

  private JwkSet(List<Jwk> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Creates a set of these keys. */
  public static JwkSet of(List<Jwk> keys) {
    Objects.requireNonNull(keys, "keys");
    return new JwkSet(keys);
  }

  /**
   * Parses a JWK Set document.
   *
   * @throws JoseException if the JSON is not an object with a {@code keys} array, or a supported key
   *     in it is malformed
   */
  public static JwkSet parse(String json) {
    Objects.requireNonNull(json, "json");
    Map<String, Object> document = JoseJson.parseObject(json.getBytes(StandardCharsets.UTF_8), "JWK Set");
    if (!(document.get("keys") instanceof List<?> entries)) {
      throw new JoseException("Invalid JWK Set: the member 'keys' must be an array of JWKs");
    }
    List<Jwk> keys = new ArrayList<>(entries.size());
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> members)) {
        throw new JoseException("Invalid JWK Set: every entry of 'keys' must be a JSON object");
      }
      if (isSupported(members.get("kty"))) {
        keys.add(Jwk.fromMembers(stringKeys(members)));
      }
    }
    return new JwkSet(keys);
  }

  /** Returns the keys in document order; unmodifiable. */
  public List<Jwk> keys() {
    return keys;
  }

  /** Returns the first key with this {@code kid}. */
  public Optional<Jwk> findByKeyId(String keyId) {
    for (Jwk key : keys) {
      if (key.keyId().filter(keyId::equals).isPresent()) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the JSON of the set with public members only.
   *
   * @throws JoseException if the set contains an {@code oct} key
   */
  public String toPublicJson() {
    List<Map<String, Object>> entries = new ArrayList<>(keys.size());
    for (Jwk key : keys) {
      entries.add(key.publicMembers());
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("keys", entries);
    return new String(JoseJson.write(document), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "JwkSet" + keys;
  }

  private static boolean isSupported(Object keyType) {
    return "RSA".equals(keyType) || "EC".equals(keyType) || "oct".equals(keyType);
  }

  private static Map<String, Object> stringKeys(Map<?, ?> members) {
    Map<String, Object> copy = new LinkedHashMap<>();
    members.forEach((name, value) -> copy.put(String.valueOf(name), value));
    return copy;
  }
}
