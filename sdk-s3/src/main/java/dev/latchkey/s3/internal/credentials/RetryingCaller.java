package dev.latchkey.s3.internal.credentials;

import dev.latchkey.RetryAfter;
import dev.latchkey.credentials.CredentialException;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request and sends it again after HTTP 429 or 5xx, with exponential backoff. When the
 * response carries {@code Retry-After}, the wait is that delay capped at {@code maxDelay}, or the
 * backoff if that is longer.
 *
 * <p>Connection failures are not retried here: they reach the caller at once, so a credential source
 * can tell "no endpoint" from "a busy endpoint". Thread-safe.
 *
 * @param maxAttempts the number of attempts, at least 1
 * @param initialBackoff the wait before the second attempt; each later wait doubles it, up to {@code maxDelay}
 * @param maxDelay the longest wait, including one that the server requested
 * @param sleeper waits between attempts
 * @param clock the time the date form of {@code Retry-After} is measured from
 */
public record RetryingCaller(OkHttpClient client, int maxAttempts, Duration initialBackoff, Duration maxDelay,
    Sleeper sleeper, InstantSource clock) {

  private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

  /** Waits between attempts; tests replace it with one that records the waits and returns at once. */
  @FunctionalInterface
  public interface Sleeper {

    /** Sleeps on the calling thread with {@link Thread#sleep(long)}. */
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  public RetryingCaller {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("Invalid maxAttempts " + maxAttempts + ": it must be at least 1");
    }
    if (maxDelay.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("Invalid retry delays " + initialBackoff + " and " + maxDelay
          + ": the maximum delay must be at least the first backoff");
    }
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * Returns the first response that is neither 429 nor 5xx, or the last response when every attempt
   * got one. The caller closes the response.
   *
   * @param source the name of the endpoint, for logs
   * @throws IOException if a connection fails or times out
   */
  public Response execute(Request request, String source) throws IOException {
    Duration backoff = initialBackoff;
    for (int attempt = 1; ; attempt++) {
      Response response = client.newCall(request).execute();
      if (!isRetryable(response.code()) || attempt == maxAttempts) {
        return response;
      }

      response.close();
      Optional<Duration> retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant());
      Duration delay = RetryAfter.delay(backoff, retryAfter, maxDelay);
      LOG.warn("{} returned HTTP {} to {} {}; attempt {} of {}, retrying in {} ms", source, response.code(),
          request.method(), request.url().encodedPath(), attempt, maxAttempts, delay.toMillis());
      pause(delay);
      backoff = backoff.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : backoff.multipliedBy(2);
    }
  }

  private static boolean isRetryable(int status) {
    return status == 429 || status >= 500;
  }

  private void pause(Duration backoff) {
    try {
      sleeper.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialException("Interrupted while waiting to retry a credential request", e, true);
    }
  }
}
