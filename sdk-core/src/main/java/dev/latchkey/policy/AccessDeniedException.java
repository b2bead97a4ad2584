package dev.latchkey.policy;

import dev.latchkey.LatchkeyException;
import java.util.Objects;

/**
 * The access policy denied a request before anything was signed or sent. Not retryable: the same
 * request is denied again until the policy or the request changes.
 */
public class AccessDeniedException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  private final transient PolicyDecision decision;

  /**
   * Creates the exception for a denied request.
   *
   * @param request the request; its identity name, action and resource appear in the message
   * @param decision the deny decision
   */
  public AccessDeniedException(AccessRequest request, PolicyDecision decision) {
    super("Access denied: " + request.identity().name() + " may not " + request.action() + " "
        + request.resource() + ": " + Objects.requireNonNull(decision, "decision").reason(), false);
    this.decision = decision;
  }

  /** Returns the decision, with the rule that denied, if any. */
  public PolicyDecision decision() {
    return decision;
  }
}
