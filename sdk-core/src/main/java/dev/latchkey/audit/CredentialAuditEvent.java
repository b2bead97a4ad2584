package dev.latchkey.audit;

import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * A change in the credential a workload holds: issued, refreshed, refresh failed, served stale,
 * expired or invalidated.
 *
 * @param stamp id, time and sequence number
 * @param type one of the {@code CREDENTIAL_*} types
 * @param identity the workload whose credential it is
 * @param provider the name of the credential's provider, such as {@code sts-assume-role}
 * @param credentialId the credential's non-secret id, or {@code null} when none was ever issued
 * @param credentialType the credential's class, such as {@code AwsCredentials}, or {@code null}
 * @param expiresAt the credential's expiry, or {@code null} when it has none
 * @param errorType the class of the failure, for {@link EventType#CREDENTIAL_REFRESH_FAILED}; otherwise
 *     {@code null}
 * @param errorMessage the failure's message, redacted by {@link Redactor#text(String)}; or {@code null}
 */
public record CredentialAuditEvent(
    AuditStamp stamp,
    EventType type,
    WorkloadIdentity identity,
    String provider,
    String credentialId,
    String credentialType,
    Instant expiresAt,
    String errorType,
    String errorMessage) implements AuditEvent {

  /**
   * Checks the fields and redacts the error message.
   *
   * @throws IllegalArgumentException if {@code type} is not a credential event type
   */
  public CredentialAuditEvent {
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(provider, "provider");
    if (!type.action().startsWith("credential.")) {
      throw new IllegalArgumentException(
          "Invalid type " + type + " for a credential audit event: use one of the CREDENTIAL_* types");
    }
    errorMessage = Redactor.text(errorMessage);
  }

  /** Converts a credential cache's event into an audit event of {@code identity}. */
  public static CredentialAuditEvent from(CredentialEvent event, WorkloadIdentity identity, AuditStamp stamp) {
    Throwable failure = event.failure();
    return new CredentialAuditEvent(
        stamp,
        typeOf(event.type()),
        identity,
        event.providerName(),
        event.credentialId(),
        event.credentialType(),
        event.expiresAt(),
        failure == null ? null : failure.getClass().getName(),
        failure == null ? null : failure.getMessage());
  }

  private static EventType typeOf(CredentialEvent.Type type) {
    return switch (type) {
      case ISSUED -> EventType.CREDENTIAL_ISSUED;
      case REFRESHED -> EventType.CREDENTIAL_REFRESHED;
      case REFRESH_FAILED -> EventType.CREDENTIAL_REFRESH_FAILED;
      case SERVED_STALE -> EventType.CREDENTIAL_SERVED_STALE;
      case EXPIRED -> EventType.CREDENTIAL_EXPIRED;
      case INVALIDATED -> EventType.CREDENTIAL_INVALIDATED;
    };
  }
}
