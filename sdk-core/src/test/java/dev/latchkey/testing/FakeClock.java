package dev.latchkey.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it, with millisecond resolution. Thread-safe. */
public final class FakeClock implements InstantSource {

  private final AtomicLong millis;

  public FakeClock(Instant start) {
    this.millis = new AtomicLong(start.toEpochMilli());
  }

  /** Returns a clock at 2026-01-01T00:00:00Z. */
  public static FakeClock atStartOf2026() {
    return new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  public void advance(Duration duration) {
    millis.addAndGet(duration.toMillis());
  }

  /** Sets the time; it must not go backwards. */
  public void set(Instant instant) {
    long target = instant.toEpochMilli();
    long previous = millis.getAndSet(target);
    if (target < previous) {
      throw new IllegalArgumentException("The fake clock cannot go back from "
          + Instant.ofEpochMilli(previous) + " to " + instant);
    }
  }
}
