package dev.latchkey.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link AccessPolicy#evaluate}: allowed or denied, the rule that decided, and a
 * reason a person can read.
 *
 * <p>A decision without a rule is the default deny: no rule of a role bound to the identity allowed
 * the request. Decisions are immutable and shared between requests, so they carry no request data;
 * {@link AccessPolicy#explain} gives the details.
 */
public final class PolicyDecision {

  private final boolean allowed;
  private final Optional<RuleRef> rule;
  private final String reason;

  private PolicyDecision(boolean allowed, RuleRef rule, String reason) {
    this.allowed = allowed;
    this.rule = Optional.ofNullable(rule);
    this.reason = reason;
  }

  /** Returns the decision that an allow rule made. */
  public static PolicyDecision allowedBy(RuleRef rule) {
    Objects.requireNonNull(rule, "rule");
    return new PolicyDecision(true, rule, "allowed by rule '" + rule.rule() + "' of role '"
        + rule.role() + "'");
  }

  /** Returns the decision that a deny rule made. */
  public static PolicyDecision deniedBy(RuleRef rule) {
    Objects.requireNonNull(rule, "rule");
    return new PolicyDecision(false, rule, "denied by rule '" + rule.rule() + "' of role '"
        + rule.role() + "'; an explicit deny beats every allow");
  }

  /** Returns the default deny for an action. */
  public static PolicyDecision deniedByDefault(Action action) {
    return new PolicyDecision(false, null, "denied by default: no rule of a role bound to the identity"
        + " allows " + action + " on the resource under the request's conditions");
  }

  /** Returns whether the request may go ahead. */
  public boolean isAllowed() {
    return allowed;
  }

  /** Returns the rule that decided, or empty for the default deny. */
  public Optional<RuleRef> rule() {
    return rule;
  }

  /** Returns why, in words, such as {@code allowed by rule 'read' of role 'reports-reader'}. */
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PolicyDecision that
        && allowed == that.allowed
        && rule.equals(that.rule)
        && reason.equals(that.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowed, rule, reason);
  }

  @Override
  public String toString() {
    return (allowed ? "ALLOW" : "DENY") + " (" + reason + ")";
  }
}
