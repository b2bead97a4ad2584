package dev.latchkey.audit.internal;

import dev.latchkey.audit.Redactor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A stand-in for a throwable whose messages may hold secrets, for passing to a logger: it keeps the
 * original class name, stack trace, causes and suppressed exceptions, with every message redacted.
 */
public final class RedactedThrowable extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private static final int MAX_DEPTH = 16;

  private RedactedThrowable(Throwable original) {
    super(describe(original));
    setStackTrace(original.getStackTrace());
  }

  /** Returns a redacted copy of {@code original} and of its causes and suppressed exceptions. */
  public static RedactedThrowable of(Throwable original) {
    return copy(original, new IdentityHashMap<>(), 0);
  }

  private static RedactedThrowable copy(Throwable original, Map<Throwable, RedactedThrowable> seen, int depth) {
    RedactedThrowable known = seen.get(original);
    if (known != null) {
      return known;
    }
    RedactedThrowable copy = new RedactedThrowable(original);
    seen.put(original, copy);
    if (depth < MAX_DEPTH && original.getCause() != null) {
      copy.initCause(copy(original.getCause(), seen, depth + 1));
    }
    for (Throwable suppressed : original.getSuppressed()) {
      if (depth < MAX_DEPTH) {
        copy.addSuppressed(copy(suppressed, seen, depth + 1));
      }
    }
    return copy;
  }

  private static String describe(Throwable original) {
    String message = Redactor.text(original.getMessage());
    return message == null ? original.getClass().getName() : original.getClass().getName() + ": " + message;
  }

  /** Returns the original class name and the redacted message, without this class's name. */
  @Override
  public String toString() {
    return getMessage();
  }
}
