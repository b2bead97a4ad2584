package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Optional;

/**
 * A credential that a workload presents to a storage service or an issuer.
 *
 * <p>Every credential has a non-secret {@link #id()} for logs and audit events, and an optional
 * expiry. A credential without an expiry (a static access key, an account key) is valid until it
 * is rotated; every credential an issuer hands out has one. Implementations print no secret in
 * {@code toString()} and are not {@link java.io.Serializable}.
 *
 * <p>All implementations are immutable and thread-safe.
 */
public sealed interface Credential
    permits AwsCredentials, AccessToken, SharedKey, SasToken, ApiKey, ClientCertificate {

  /**
   * Returns an identifier that is safe to log: the access key id, an account name, or a short
   * SHA-256 fingerprint of the secret. Two different secrets have different ids.
   */
  String id();

  /** Returns the instant after which the issuer no longer accepts the credential, if it has one. */
  Optional<Instant> expiresAt();

  /**
   * Returns the instant at which the issuer asks clients to refresh the credential (for example an
   * OAuth 2.0 {@code refresh_in} member), if it named one. Empty by default.
   */
  default Optional<Instant> refreshAt() {
    return Optional.empty();
  }
}
