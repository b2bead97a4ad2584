package dev.latchkey.s3.internal.credentials;

import dev.latchkey.credentials.CredentialException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request and sends it again after HTTP 429 or 5xx, with exponential backoff.
 *
 * <p>Connection failures are not retried here: they reach the caller at once, so a credential source
 * can tell "no endpoint" from "a busy endpoint". Thread-safe.
 *
 * @param maxAttempts the number of attempts, at least 1
 * @param initialBackoff the wait before the second attempt; each later wait doubles it
 * @param sleeper waits between attempts
 */
public record RetryingCaller(OkHttpClient client, int maxAttempts, Duration initialBackoff, Sleeper sleeper) {

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
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Creates a caller that waits with {@link Sleeper#THREAD}. */
  public RetryingCaller(OkHttpClient client, int maxAttempts, Duration initialBackoff) {
    this(client, maxAttempts, initialBackoff, Sleeper.THREAD);
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
      LOG.warn("{} returned HTTP {} to {} {}; attempt {} of {}, retrying in {} ms", source, response.code(),
          request.method(), request.url().encodedPath(), attempt, maxAttempts, backoff.toMillis());
      pause(backoff);
      backoff = backoff.multipliedBy(2);
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
