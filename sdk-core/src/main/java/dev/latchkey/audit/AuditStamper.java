package dev.latchkey.audit;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out {@link AuditStamp}s: increasing sequence numbers and ids built from a random prefix
 * chosen once per stamper and the sequence number, so creating an id costs no random number.
 *
 * <p>Use one stamper for all the events of a process (or of one client), so that sequence numbers
 * show the order in which events were created and a gap shows a lost event. Thread-safe.
 */
public final class AuditStamper {

  private final InstantSource clock;
  private final String prefix;
  private final AtomicLong sequence = new AtomicLong();

  private AuditStamper(InstantSource clock, String prefix) {
    this.clock = clock;
    this.prefix = prefix;
  }

  /** Creates a stamper that reads the time from {@code clock}, with a random 64-bit id prefix. */
  public static AuditStamper create(InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    return new AuditStamper(clock, HexFormat.of().formatHex(random));
  }

  /** Creates a stamper with the system clock. */
  public static AuditStamper system() {
    return create(InstantSource.system());
  }

  /** Returns the stamp of an event that happens now, by this stamper's clock. */
  public AuditStamp next() {
    return next(clock.instant());
  }

  /** Returns the stamp of an event that happened at {@code time}, such as a credential event's own time. */
  public AuditStamp next(Instant time) {
    long number = sequence.incrementAndGet();
    return new AuditStamp(prefix + "-" + Long.toHexString(number), time, number);
  }

  /** Returns the clock this stamper reads. */
  public InstantSource clock() {
    return clock;
  }
}
