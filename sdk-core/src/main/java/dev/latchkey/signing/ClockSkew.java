package dev.latchkey.signing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The estimated offset between this host's clock and a service's clock, shared by all signers of a
 * client.
 *
 * <p>Signatures carry a time, and services reject requests whose time is too far from theirs (S3
 * allows 15 minutes). When a service answers with its {@code Date} header, {@link #update} records
 * the offset, and {@link #serverTime} corrects the local time by it. The estimate is accurate to the
 * one-second resolution of {@code Date} plus the response's travel time.
 *
 * <p>Thread-safe; reads and updates are lock-free.
 */
public final class ClockSkew {

  private final AtomicLong offsetMillis = new AtomicLong();

  /** Creates an estimate of zero offset. */
  public static ClockSkew create() {
    return new ClockSkew();
  }

  /** Returns the current estimate: positive when the server's clock is ahead of the local clock. */
  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }

  /**
   * Records the offset seen in one response.
   *
   * @param localTime the local time at which the response arrived
   * @param serverTime the time from the response's {@code Date} header
   */
  public void update(Instant localTime, Instant serverTime) {
    Objects.requireNonNull(localTime, "localTime");
    Objects.requireNonNull(serverTime, "serverTime");
    offsetMillis.set(Duration.between(localTime, serverTime).toMillis());
  }

  /** Returns the estimated server time now, from the given local clock. */
  public Instant serverTime(InstantSource localClock) {
    return localClock.instant().plusMillis(offsetMillis.get());
  }

  @Override
  public String toString() {
    return "ClockSkew[offset=" + offset() + "]";
  }
}
