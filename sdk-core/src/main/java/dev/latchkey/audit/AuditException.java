package dev.latchkey.audit;

import dev.latchkey.LatchkeyException;

/** An audit event could not be recorded, or an audit file could not be read. */
public class AuditException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  public AuditException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }

  public AuditException(String message, boolean retryable) {
    super(message, retryable);
  }
}
