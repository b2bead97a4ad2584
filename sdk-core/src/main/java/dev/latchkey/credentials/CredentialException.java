package dev.latchkey.credentials;

import dev.latchkey.LatchkeyException;

/** A credential could not be obtained from its source. The message names the source, never a secret. */
public class CredentialException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  public CredentialException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }

  public CredentialException(String message, boolean retryable) {
    super(message, retryable);
  }
}
