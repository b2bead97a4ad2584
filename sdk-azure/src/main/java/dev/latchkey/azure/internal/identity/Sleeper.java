package dev.latchkey.azure.internal.identity;

import java.time.Duration;

/** Waits between retries; tests replace it with one that advances a fake clock. */
@FunctionalInterface
public interface Sleeper {

  /** Blocks the calling thread for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps on the calling thread with {@link Thread#sleep(long, int)}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
}
