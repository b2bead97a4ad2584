package dev.latchkey.auth.jose;

import dev.latchkey.LatchkeyException;

/**
 * A JSON Web Signature or JSON Web Key is malformed, uses an algorithm or key this package does not
 * support, or does not verify.
 *
 * <p>Never retryable: the same input fails the same way. Messages name the member or algorithm at
 * fault and never contain key material, a payload or a signature.
 */
public class JoseException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  public JoseException(String message) {
    super(message, false);
  }

  public JoseException(String message, Throwable cause) {
    super(message, cause, false);
  }
}
