package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key for a storage API behind a gateway, with an optional non-secret label such as the key
 * name the gateway shows.
 *
 * <p>{@link #id()} is the label when there is one, otherwise {@code sha256:} and a short fingerprint.
 */
public final class ApiKey implements Credential {

  private final SecretValue key;
  private final String label;
  private final Instant expiresAt;

  private ApiKey(SecretValue key, String label, Instant expiresAt) {
    this.key = key;
    this.label = label;
    this.expiresAt = expiresAt;
  }

  /** Creates an API key without a label or expiry. */
  public static ApiKey of(SecretValue key) {
    return of(key, null, null);
  }

  /**
   * Creates an API key.
   *
   * @param label a non-secret name for logs, or {@code null}
   * @param expiresAt when the gateway stops accepting the key, or {@code null} if it does not expire
   */
  public static ApiKey of(SecretValue key, String label, Instant expiresAt) {
    Objects.requireNonNull(key, "key");
    if (label != null && label.isBlank()) {
      throw new IllegalArgumentException("Invalid API key label '': pass null for no label");
    }
    return new ApiKey(key, label, expiresAt);
  }

  public SecretValue key() {
    return key;
  }

  public Optional<String> label() {
    return Optional.ofNullable(label);
  }

  @Override
  public String id() {
    return label != null ? label : "sha256:" + key.fingerprint();
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "ApiKey[id=" + id() + ", expiresAt=" + (expiresAt == null ? "never" : expiresAt) + "]";
  }
}
