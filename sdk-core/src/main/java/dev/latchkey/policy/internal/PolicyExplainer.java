package dev.latchkey.policy.internal;

import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Condition;
import dev.latchkey.policy.PolicyDecision;
import dev.latchkey.policy.PolicyExplanation;
import dev.latchkey.policy.ResourcePattern;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.policy.RuleRef;
import dev.latchkey.policy.RuleTrace;
import dev.latchkey.policy.RuleTrace.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every rule of a policy against one request and reports, for each, whether it matched or the
 * first check it failed. Slower than {@link PolicyIndex#evaluate} and meant for people: it
 * allocates freely.
 */
public final class PolicyExplainer {

  private PolicyExplainer() {}

  /** Returns the decision with one trace per rule, in the order of the roles and their rules. */
  public static PolicyExplanation explain(
      List<Role> roles, List<Binding> bindings, PolicyDecision decision, AccessRequest request) {
    List<RuleTrace> traces = new ArrayList<>();
    for (Role role : roles) {
      List<Binding> applying = applyingBindings(role, bindings, request);
      for (Rule rule : role.rules()) {
        traces.add(trace(new RuleRef(role.name(), rule.id()), rule, applying, request));
      }
    }
    return new PolicyExplanation(decision, traces);
  }

  private static RuleTrace trace(
      RuleRef ref, Rule rule, List<Binding> applying, AccessRequest request) {
    if (applying.isEmpty()) {
      return new RuleTrace(ref, rule.effect(), Outcome.ROLE_NOT_BOUND, "no binding grants role '"
          + ref.role() + "' to identity '" + request.identity().name() + "'");
    }
    if (!rule.actions().contains(request.action())) {
      return new RuleTrace(ref, rule.effect(), Outcome.ACTION_NOT_COVERED,
          "the rule covers " + rule.actions() + ", not " + request.action());
    }
    ResourcePattern pattern = matchingPattern(rule, request);
    if (pattern == null) {
      return new RuleTrace(ref, rule.effect(), Outcome.RESOURCE_NOT_MATCHED,
          "no pattern of " + rule.resources() + " matches " + request.resource());
    }
    for (Condition condition : rule.conditions()) {
      if (!condition.test(request)) {
        return new RuleTrace(ref, rule.effect(), Outcome.CONDITION_NOT_MET,
            "pattern '" + pattern + "' matches, but condition '" + condition.describe()
                + "' does not hold");
      }
    }
    return new RuleTrace(ref, rule.effect(), Outcome.MATCHED, matchedDetail(rule, applying, pattern));
  }

  private static String matchedDetail(Rule rule, List<Binding> applying, ResourcePattern pattern) {
    String conditions = rule.conditions().isEmpty()
        ? "no conditions"
        : "conditions hold: " + rule.conditions().stream().map(Condition::describe).toList();
    return "binding '" + applying.get(0).id() + "' grants the role; pattern '" + pattern
        + "' matches; " + conditions;
  }

  private static ResourcePattern matchingPattern(Rule rule, AccessRequest request) {
    for (ResourcePattern pattern : rule.resources()) {
      if (pattern.matches(request.resource())) {
        return pattern;
      }
    }
    return null;
  }

  private static List<Binding> applyingBindings(
      Role role, List<Binding> bindings, AccessRequest request) {
    return bindings.stream()
        .filter(binding -> binding.roles().contains(role.name()))
        .filter(binding -> binding.appliesTo(request.identity()))
        .toList();
  }
}
