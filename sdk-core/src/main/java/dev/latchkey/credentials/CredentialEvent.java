package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One transition of a {@link CredentialCache}, reported to its {@link CredentialListener}s.
 *
 * <p>An event names the credential by its non-secret {@link Credential#id()} only.
 *
 * @param type what happened
 * @param time when it happened, by the cache's clock
 * @param providerName the {@link CredentialProvider#name()} of the cache's source
 * @param credentialId the id of the credential concerned; {@code null} when none was ever issued
 * @param credentialType the simple name of the credential's class, such as {@code AwsCredentials};
 *     {@code null} when no credential is concerned
 * @param expiresAt the expiry of that credential; {@code null} when it has none or none is concerned
 * @param failure the failure of the source, for {@link Type#REFRESH_FAILED}; otherwise {@code null}
 */
public record CredentialEvent(
    Type type,
    Instant time,
    String providerName,
    String credentialId,
    String credentialType,
    Instant expiresAt,
    Throwable failure) {

  /** The kinds of transition. */
  public enum Type {
    /** The first credential was fetched. */
    ISSUED,
    /** A credential replaced an earlier one. */
    REFRESHED,
    /** A fetch failed; the event carries the failure. */
    REFRESH_FAILED,
    /** A caller got a credential that is past its refresh time because refreshing failed. */
    SERVED_STALE,
    /** The held credential reached its stale time with no replacement, so callers get errors. */
    EXPIRED,
    /** A caller reported the current credential as rejected, so the next call refreshes it. */
    INVALIDATED
  }

  public CredentialEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(providerName, "providerName");
  }

  public Optional<Throwable> failureCause() {
    return Optional.ofNullable(failure);
  }
}
