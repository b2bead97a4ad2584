package dev.latchkey.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that tests move by hand, for code that takes a {@link InstantSource}.
 *
 * <p>Time only moves when a test calls {@link #advance(Duration)} or {@link #set(Instant)}, so a test
 * can put a credential past its refresh or expiry time without waiting. Resolution is one nanosecond.
 * Thread-safe: many threads may read it while one test thread moves it.
 */
public final class FakeClock implements InstantSource {

  private final AtomicLong epochNanos;

  private FakeClock(Instant start) {
    this.epochNanos = new AtomicLong(toNanos(start));
  }

  /** Creates a clock that reads {@code start} until it is moved. */
  public static FakeClock at(Instant start) {
    return new FakeClock(Objects.requireNonNull(start, "start"));
  }

  /** Creates a clock that starts at 2026-01-01T00:00:00Z. */
  public static FakeClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    long nanos = epochNanos.get();
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** Returns the time in epoch milliseconds without allocating. */
  @Override
  public long millis() {
    return Math.floorDiv(epochNanos.get(), 1_000_000L);
  }

  /**
   * Moves the clock forward.
   *
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("Invalid clock advance " + amount + ": use set(...) to move back");
    }
    epochNanos.addAndGet(amount.toNanos());
    return instant();
  }

  /** Sets the clock to {@code time}, forwards or backwards. */
  public void set(Instant time) {
    epochNanos.set(toNanos(Objects.requireNonNull(time, "time")));
  }

  private static long toNanos(Instant time) {
    return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
  }

  @Override
  public String toString() {
    return "FakeClock[" + instant() + "]";
  }
}
