package dev.latchkey.audit;

import dev.latchkey.credentials.WorkloadIdentity;
import java.util.Objects;

/**
 * A decision of the access policy on one request, made before anything was signed or sent.
 *
 * <p>Rule names and reasons come from the policy and are written as they are, so a policy must not
 * hold secrets.
 *
 * @param stamp id, time and sequence number
 * @param type {@link EventType#ACCESS_ALLOWED} or {@link EventType#ACCESS_DENIED}
 * @param identity the workload that made the request
 * @param action the requested action, such as {@code READ}
 * @param resource the resource, such as {@code s3://reports/2026/q1.csv}
 * @param rule the name of the rule that decided, or {@code null} when the default deny decided
 * @param reason a readable explanation of the decision
 */
public record AccessAuditEvent(
    AuditStamp stamp,
    EventType type,
    WorkloadIdentity identity,
    String action,
    String resource,
    String rule,
    String reason) implements AuditEvent {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code type} is not an access event type
   */
  public AccessAuditEvent {
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
    if (type != EventType.ACCESS_ALLOWED && type != EventType.ACCESS_DENIED) {
      throw new IllegalArgumentException(
          "Invalid type " + type + " for an access audit event: use ACCESS_ALLOWED or ACCESS_DENIED");
    }
  }

  /** Creates an event for an allowed request. */
  public static AccessAuditEvent allowed(
      AuditStamp stamp, WorkloadIdentity identity, String action, String resource, String rule, String reason) {
    return new AccessAuditEvent(stamp, EventType.ACCESS_ALLOWED, identity, action, resource, rule, reason);
  }

  /** Creates an event for a denied request. */
  public static AccessAuditEvent denied(
      AuditStamp stamp, WorkloadIdentity identity, String action, String resource, String rule, String reason) {
    return new AccessAuditEvent(stamp, EventType.ACCESS_DENIED, identity, action, resource, rule, reason);
  }
}
