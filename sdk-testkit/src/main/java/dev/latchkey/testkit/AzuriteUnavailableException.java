package dev.latchkey.testkit;

import dev.latchkey.LatchkeyException;

/**
 * Azurite cannot be started on this machine because a tool it needs is missing: Node.js or npm is
 * not on the {@code PATH}, or the pinned Azurite package cannot be found or installed.
 *
 * <p>Tests usually turn this into a skipped test, for example with JUnit's {@code
 * Assumptions.abort(e.getMessage())}, so a machine without Node.js runs every other test. A server
 * that was installed but failed to start throws {@link IllegalStateException} instead.
 */
public class AzuriteUnavailableException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  public AzuriteUnavailableException(String message, Throwable cause) {
    super(message, cause, false);
  }
}
