package dev.latchkey.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * The identity of one audit event: a unique id, the time it happened and its sequence number.
 *
 * @param id unique among the events of one {@link AuditStamper}, and across processes with high
 *     probability
 * @param time when the event happened
 * @param sequence the position of the event among those of its stamper, starting at 1
 */
public record AuditStamp(String id, Instant time, long sequence) {

  public AuditStamp {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    if (sequence < 1) {
      throw new IllegalArgumentException("Invalid audit sequence number " + sequence + ": it starts at 1");
    }
  }
}
