package dev.latchkey.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * The action an {@link AsyncAuditSink} takes on an event when its queue is full. Every event that is not
 * queued is counted in {@link AsyncAuditSink#droppedCount()} and reported by an {@link
 * AuditDroppedEvent}.
 */
public sealed interface OverflowPolicy {

  /** Waits up to {@code timeout} for room, then drops the event and counts it. */
  static OverflowPolicy block(Duration timeout) {
    return new Block(timeout);
  }

  /** Drops the event at once and counts it; the caller is never slowed down. */
  static OverflowPolicy drop() {
    return new Drop();
  }

  /** Throws {@link AuditOverflowException} to the caller, so the audited operation fails. */
  static OverflowPolicy fail() {
    return new Fail();
  }

  /**
   * The blocking policy.
   *
   * @param timeout how long a caller waits for room; positive
   */
  record Block(Duration timeout) implements OverflowPolicy {
    public Block {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "Invalid overflow timeout " + timeout + ": use a positive duration such as PT1S");
      }
    }
  }

  /** The dropping policy. */
  record Drop() implements OverflowPolicy {}

  /** The failing policy. */
  record Fail() implements OverflowPolicy {}
}
