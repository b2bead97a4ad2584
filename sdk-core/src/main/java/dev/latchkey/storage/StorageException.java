package dev.latchkey.storage;

import dev.latchkey.LatchkeyException;

/**
 * A storage service rejected a request or could not be reached.
 *
 * <p>S3 and Azure Blob errors map to the same type: {@link #statusCode()} is the HTTP status (0 when
 * no response arrived), {@link #errorCode()} the service's code such as {@code NoSuchKey}, {@code
 * BlobNotFound} or {@code AccessDenied}, and {@link #requestId()} the id to quote to the service's
 * support. The message never contains a signature or a token.
 */
public class StorageException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String errorCode;
  private final String requestId;

  public StorageException(
      String message, int statusCode, String errorCode, String requestId, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.requestId = requestId;
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

  /** Returns whether the object or container does not exist (HTTP 404). */
  public boolean isNotFound() {
    return statusCode == 404;
  }
}
