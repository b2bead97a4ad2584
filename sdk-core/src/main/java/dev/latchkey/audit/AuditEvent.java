package dev.latchkey.audit;

import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Instant;

/**
 * One audit event: something a workload did or that happened to its credentials.
 *
 * <p>Events are immutable and hold no secret: URLs and error messages in them have passed through
 * {@link Redactor}. {@link AuditJson} writes them in the versioned JSON schema described in {@code
 * docs/audit-events.md}.
 */
public sealed interface AuditEvent
    permits CredentialAuditEvent, AccessAuditEvent, StorageRequestEvent, AuditDroppedEvent {

  /** Returns the event's id, time and sequence number. */
  AuditStamp stamp();

  /** Returns what kind of event this is. */
  EventType type();

  /** Returns the identity that acted, or {@code null} for events about the audit trail itself. */
  WorkloadIdentity identity();

  /** Returns whether the operation succeeded. */
  default EventOutcome outcome() {
    return type().defaultOutcome();
  }

  default String id() {
    return stamp().id();
  }

  default Instant time() {
    return stamp().time();
  }

  default long sequence() {
    return stamp().sequence();
  }
}
