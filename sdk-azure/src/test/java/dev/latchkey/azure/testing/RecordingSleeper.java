package dev.latchkey.azure.testing;

import dev.latchkey.azure.internal.identity.Sleeper;
import dev.latchkey.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A sleeper that advances a fake clock instead of blocking, and records every delay. */
public final class RecordingSleeper implements Sleeper {

  private final FakeClock clock;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstSleep = new CountDownLatch(1);

  public RecordingSleeper(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    clock.advance(duration);
    firstSleep.countDown();
  }

  /** Returns a latch that opens when {@link #sleep} is first called, that is when a client first waits to retry. */
  public CountDownLatch firstSleep() {
    return firstSleep;
  }

  /** Returns every delay passed to {@link #sleep}, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
