package dev.latchkey.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a {@link StorageClient} retries a call that failed with a retryable error (HTTP 5xx, 429, or
 * no response at all): how many attempts in all, and how long to wait before each retry.
 *
 * <p>The wait before retry {@code n} (counting the first retry as 1) is drawn uniformly from 0 to
 * {@code min(maxDelay, baseDelay * 2^(n-1))} ("full jitter"), so clients that failed together do not
 * retry together. When the failed response carried {@code Retry-After} ({@link
 * StorageException#retryAfter()}), the wait is that delay capped at {@code maxDelay}, or the drawn
 * wait if that is longer. Only idempotent calls are retried: get, head, list, delete, and put from
 * bytes or a file. Each retry is signed again with the current credential and time.
 *
 * @param maxAttempts attempts in all, including the first; 1 disables retries
 * @param baseDelay the cap of the first wait
 * @param maxDelay the cap of every wait, including one that the service requested
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

  /** Three attempts, waits capped at 100 ms, then 200 ms, up to 5 seconds. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5));

  /** One attempt and no retry. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException("Invalid maxAttempts " + maxAttempts + ": use 1 to 20");
    }
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("Invalid retry delays " + baseDelay + " and " + maxDelay
          + ": the base delay must be 0 or more and the maximum delay at least the base delay");
    }
  }

  /**
   * Returns the wait before retry {@code retry}, from 1.
   *
   * @param random the source of jitter
   */
  public Duration delayBefore(int retry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("Invalid retry number " + retry + ": retries count from 1");
    }
    long capNanos = Math.min(maxDelay.toNanos(), baseDelay.toNanos() << Math.min(retry - 1, 30));
    if (capNanos <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(random.nextLong(capNanos + 1));
  }
}
