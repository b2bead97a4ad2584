package dev.latchkey.audit;

/**
 * An asynchronous sink with the {@link OverflowPolicy.Fail} policy had no room for an event, so the
 * operation that produced it fails. Retryable: the queue may have room later.
 */
public class AuditOverflowException extends AuditException {

  private static final long serialVersionUID = 1L;

  public AuditOverflowException(String message) {
    super(message, true);
  }
}
