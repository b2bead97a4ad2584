package dev.latchkey.storage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits between the attempts of a storage call. The default blocks the calling thread. Tests pass
 * one that records the waits, or moves a fake clock, and returns at once.
 */
@FunctionalInterface
public interface RetrySleeper {

  /** Blocks the calling thread for the duration. */
  RetrySleeper THREAD = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  void sleep(Duration duration) throws InterruptedException;
}
