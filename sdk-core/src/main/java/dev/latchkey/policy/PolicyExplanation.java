package dev.latchkey.policy;

import java.util.List;
import java.util.Objects;

/**
 * The decision on a request with what every rule of the policy made of it.
 *
 * @param decision the same decision {@link AccessPolicy#evaluate} returns
 * @param rules one entry per rule of the policy, in the order of its roles and their rules
 */
public record PolicyExplanation(PolicyDecision decision, List<RuleTrace> rules) {

  public PolicyExplanation {
    Objects.requireNonNull(decision, "decision");
    rules = List.copyOf(rules);
  }

  /** Returns the rules that matched the request, allow and deny alike. */
  public List<RuleTrace> matched() {
    return rules.stream().filter(RuleTrace::matched).toList();
  }

  /** Returns the decision and every rule's outcome, one per line. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(decision.toString());
    for (RuleTrace trace : rules) {
      text.append('\n').append("  ").append(trace.rule()).append(' ').append(trace.effect())
          .append(' ').append(trace.outcome()).append(": ").append(trace.detail());
    }
    return text.toString();
  }
}
