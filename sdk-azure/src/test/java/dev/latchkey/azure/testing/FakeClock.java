package dev.latchkey.azure.testing;

import dev.latchkey.azure.internal.identity.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when a test advances it, and a sleeper that moves it instead of blocking. */
public final class FakeClock implements InstantSource, Sleeper {

  private volatile Instant now;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Records the delay and advances the clock by it. */
  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }

  /** Returns every delay passed to {@link #sleep}, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
