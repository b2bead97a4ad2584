package dev.latchkey.policy.internal;

import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.AttributeCondition;
import dev.latchkey.policy.Condition;
import dev.latchkey.policy.Effect;
import dev.latchkey.policy.PolicyNotExpressibleException;
import dev.latchkey.policy.ResourcePattern;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.policy.RuleRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a policy that can apply to one identity, with the conditions on identity attributes
 * already decided: compilers into narrower credentials start from these.
 */
final class IdentityRules {

  /**
   * One rule whose role is bound to the identity and whose identity conditions hold.
   *
   * @param ref the rule's name
   * @param rule the rule
   * @param openConditions the conditions that depend on the request, which a credential issued in
   *     advance cannot decide
   */
  record Resolved(RuleRef ref, Rule rule, List<Condition> openConditions) {

    Effect effect() {
      return rule.effect();
    }

    boolean isConditional() {
      return !openConditions.isEmpty();
    }

    boolean covers(Action action) {
      return rule.actions().contains(action);
    }

    List<ResourcePattern> patterns(String scheme) {
      return rule.resources().stream().filter(p -> p.scheme().equals(scheme)).toList();
    }

    /** Returns the error for a target that cannot test this rule's first open condition. */
    PolicyNotExpressibleException notExpressible(String target) {
      return new PolicyNotExpressibleException("Rule " + ref + " cannot be written as " + target
          + ": its condition '" + openConditions.get(0).describe() + "' depends on the request, and "
          + target + " cannot test it. Move the condition to a separate role that the compiled"
          + " credential does not need, or remove it");
    }
  }

  private IdentityRules() {}

  /** Returns the rules of the roles bound to the identity whose identity conditions hold. */
  static List<Resolved> resolve(AccessPolicy policy, WorkloadIdentity identity) {
    AccessRequest probe = AccessRequest.builder().identity(identity).action(Action.READ)
        .resource("s3://identity-probe/").time(Instant.EPOCH).build();
    List<Resolved> result = new ArrayList<>();
    for (Role role : policy.rolesOf(identity)) {
      for (Rule rule : role.rules()) {
        List<Condition> open = new ArrayList<>();
        boolean identityConditionsPass = true;
        for (Condition condition : rule.conditions()) {
          if (isIdentityOnly(condition)) {
            identityConditionsPass &= condition.test(probe);
          } else {
            open.add(condition);
          }
        }
        if (identityConditionsPass) {
          result.add(new Resolved(new RuleRef(role.name(), rule.id()), rule, List.copyOf(open)));
        }
      }
    }
    return result;
  }

  private static boolean isIdentityOnly(Condition condition) {
    return condition instanceof AttributeCondition attribute && attribute.dependsOnIdentityOnly();
  }
}
