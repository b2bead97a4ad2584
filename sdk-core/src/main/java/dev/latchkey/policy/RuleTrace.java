package dev.latchkey.policy;

import java.util.Objects;

/**
 * The outcome of checking one rule against one request, as listed by {@link AccessPolicy#explain}.
 *
 * @param rule the rule
 * @param effect the rule's effect
 * @param outcome whether it matched, or the first reason it did not
 * @param detail the outcome in words, naming the binding, pattern or condition involved
 */
public record RuleTrace(RuleRef rule, Effect effect, Outcome outcome, String detail) {

  /** Whether a rule matched, or the first check it failed, in the order they are checked. */
  public enum Outcome {
    /** No binding grants the rule's role to the identity. */
    ROLE_NOT_BOUND,
    /** The rule does not cover the request's action. */
    ACTION_NOT_COVERED,
    /** None of the rule's patterns matches the resource. */
    RESOURCE_NOT_MATCHED,
    /** A condition does not hold. */
    CONDITION_NOT_MET,
    /** The rule matched the request. */
    MATCHED
  }

  public RuleTrace {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  /** Returns whether the rule matched the request. */
  public boolean matched() {
    return outcome == Outcome.MATCHED;
  }
}
