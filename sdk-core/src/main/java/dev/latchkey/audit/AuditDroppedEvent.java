package dev.latchkey.audit;

import dev.latchkey.credentials.WorkloadIdentity;
import java.util.Objects;

/**
 * A report that an asynchronous sink dropped events because its queue was full. The sink writes
 * it to its delegate as soon as the queue has room again, so the audit trail itself shows the gap.
 *
 * @param stamp id, time and sequence number
 * @param sink the name of the sink that dropped the events
 * @param dropped how many events were dropped since the previous report
 * @param droppedTotal how many events the sink has dropped since it was created
 */
public record AuditDroppedEvent(AuditStamp stamp, String sink, long dropped, long droppedTotal)
    implements AuditEvent {

  public AuditDroppedEvent {
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(sink, "sink");
    if (dropped < 1 || droppedTotal < dropped) {
      throw new IllegalArgumentException(
          "Invalid drop counts " + dropped + " of " + droppedTotal + ": need 1 <= dropped <= droppedTotal");
    }
  }

  @Override
  public EventType type() {
    return EventType.AUDIT_DROPPED;
  }

  /** Returns {@code null}: the event is about the audit trail, not about a workload. */
  @Override
  public WorkloadIdentity identity() {
    return null;
  }
}
