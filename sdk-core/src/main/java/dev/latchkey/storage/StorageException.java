package dev.latchkey.storage;

import dev.latchkey.LatchkeyException;
import java.time.Duration;
import java.util.Optional;

/**
 * A storage service rejected a request or could not be reached.
 *
 * <p>S3 and Azure Blob errors map to the same type: {@link #statusCode()} is the HTTP status (0 when
 * no response arrived), {@link #errorCode()} the service's code such as {@code NoSuchKey}, {@code
 * BlobNotFound} or {@code AccessDenied}, {@link #requestId()} the id to quote to the service's
 * support, and {@link #retryAfter()} the delay of the response's {@code Retry-After} header. The
 * message never contains a signature or a token.
 */
public class StorageException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String errorCode;
  private final String requestId;
  private final Duration retryAfter;

  public StorageException(
      String message, int statusCode, String errorCode, String requestId, Throwable cause, boolean retryable) {
    this(message, statusCode, errorCode, requestId, cause, retryable, null);
  }

  /**
   * Creates an exception for a response that named a delay.
   *
   * @param retryAfter the delay of the response's {@code Retry-After} header, or {@code null} when it
   *     had none or an invalid one
   */
  public StorageException(String message, int statusCode, String errorCode, String requestId, Throwable cause,
      boolean retryable, Duration retryAfter) {
    super(message, cause, retryable);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("Invalid retryAfter " + retryAfter + ": it must not be negative");
    }
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** Returns the HTTP status, or 0 when no response arrived. */
  public int statusCode() {
    return statusCode;
  }

  /** Returns the service's error code, or {@code null} when it sent none. */
  public String errorCode() {
    return errorCode;
  }

  /** Returns the service's request id, or {@code null} when it sent none. */
  public String requestId() {
    return requestId;
  }

  /**
   * Returns the delay the service requested with {@code Retry-After}, if the response had a valid
   * one. A {@link StorageClient} waits at least this long, up to {@link RetryPolicy#maxDelay()},
   * before it retries.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Returns whether the object or container does not exist (HTTP 404). */
  public boolean isNotFound() {
    return statusCode == 404;
  }
}
