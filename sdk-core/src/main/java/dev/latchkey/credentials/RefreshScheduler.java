package dev.latchkey.credentials;

import dev.latchkey.credentials.internal.SharedRefreshThreads;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs the delayed tasks of {@link CredentialCache}s: the proactive refresh before a credential is
 * due and the retry after a failed fetch.
 *
 * <p>A scheduled task must be quick: the cache hands the fetch itself to its refresh executor. Tests
 * inject a scheduler that records the tasks and runs them when the test moves its fake clock.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface RefreshScheduler {

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @param delay the time to wait, zero or positive
   * @return a handle whose {@link Future#cancel(boolean)} removes the task if it has not run yet
   */
  Future<?> schedule(Runnable task, Duration delay);

  /**
   * Returns the scheduler that every cache uses by default: one daemon thread named {@code
   * latchkey-credential-scheduler}, started on first use and shared by all caches of the process.
   */
  static RefreshScheduler shared() {
    return SharedRefreshThreads.scheduler();
  }
}
