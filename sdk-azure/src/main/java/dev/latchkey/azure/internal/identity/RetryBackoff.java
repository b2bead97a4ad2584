package dev.latchkey.azure.internal.identity;

import dev.latchkey.RetryAfter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Exponential backoff bounded by a total retry duration.
 *
 * <p>The backoff before retry {@code n} (counting from 1) is {@code initialDelay * 2^(n-1)}, capped
 * at {@code maxDelay}. When the server sent {@code Retry-After}, the delay is the longer of that
 * request and the backoff ({@link RetryAfter#delay}), so a {@code Retry-After: 0} cannot turn the
 * retries into a busy loop. Every delay ends at the latest when {@code maxRetryDuration} has passed
 * since the first attempt: the last one is shortened so that the final attempt starts exactly then,
 * because a service that promises to be back within that time gets a last chance. The retry budget
 * also bounds a server's request, so an HTTP date far in the future costs no more than the budget.
 * Instances are immutable and thread-safe.
 */
public final class RetryBackoff {

  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Duration maxRetryDuration;

  public RetryBackoff(Duration initialDelay, Duration maxDelay, Duration maxRetryDuration) {
    this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
    this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
    this.maxRetryDuration = Objects.requireNonNull(maxRetryDuration, "maxRetryDuration");
  }

  /** Returns the total time after the first attempt during which retries may start. */
  public Duration maxRetryDuration() {
    return maxRetryDuration;
  }

  /**
   * Returns the delay before the next attempt, or empty when the retry duration is spent.
   *
   * @param failedAttempts the number of attempts that failed so far, at least 1
   * @param elapsed the time since the first attempt started
   * @param retryAfter the delay the server requested, if any, as {@link RetryAfter#parse} returns it
   */
  public Optional<Duration> nextDelay(int failedAttempts, Duration elapsed, Optional<Duration> retryAfter) {
    Duration remaining = maxRetryDuration.minus(elapsed);
    if (remaining.isNegative() || remaining.isZero()) {
      return Optional.empty();
    }

    Duration delay = RetryAfter.delay(exponentialDelay(failedAttempts), retryAfter, remaining);
    return Optional.of(delay.compareTo(remaining) > 0 ? remaining : delay);
  }

  private Duration exponentialDelay(int failedAttempts) {
    int doublings = Math.min(failedAttempts - 1, 30);
    Duration delay = initialDelay.multipliedBy(1L << doublings);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
