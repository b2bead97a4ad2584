package dev.latchkey;

/**
 * Root of every exception that Latchkey throws on purpose.
 *
 * <p>All Latchkey exceptions are unchecked. Each one says whether the same operation may succeed
 * if it is tried again later ({@link #isRetryable()}): a timeout or a 503 is retryable, a rejected
 * client secret or a malformed document is not. Messages name the value that failed and what to do,
 * and never contain a secret.
 */
public class LatchkeyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public LatchkeyException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  public LatchkeyException(String message, boolean retryable) {
    this(message, null, retryable);
  }

  /** Returns whether trying the same operation again later may succeed. */
  public boolean isRetryable() {
    return retryable;
  }
}
