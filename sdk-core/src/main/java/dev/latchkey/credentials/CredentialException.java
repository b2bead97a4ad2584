package dev.latchkey.credentials;

import dev.latchkey.LatchkeyException;
import java.time.Duration;
import java.util.Optional;

/** A credential could not be obtained from its source. The message names the source, never a secret. */
public class CredentialException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  public CredentialException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }

  public CredentialException(String message, boolean retryable) {
    super(message, retryable);
  }

  /**
   * Returns how long the source asked clients to wait before trying again, such as an HTTP {@code
   * Retry-After} delay. A {@link CredentialCache} waits at least this long before its next fetch.
   * Empty by default.
   */
  public Optional<Duration> retryAfter() {
    return Optional.empty();
  }
}
