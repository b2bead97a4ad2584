package dev.latchkey.policy.internal;

import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Effect;
import dev.latchkey.policy.PolicyNotExpressibleException;
import dev.latchkey.policy.Resource;
import dev.latchkey.policy.ResourcePattern;
import dev.latchkey.policy.SasScope;
import dev.latchkey.policy.internal.IdentityRules.Resolved;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles what an identity may do on one Azure blob, or on every blob of one container, into the
 * permissions of a service SAS.
 *
 * <p>A service SAS reaches either one blob or a whole container, never a prefix. For a blob, an
 * action is granted when an allow rule matches the blob and no deny rule does. For a container, an
 * action is granted only when an allow rule covers every blob of it (key pattern {@code **}), and a
 * deny rule that reaches into the container for a granted action is an error, because the SAS could
 * not exclude what it denies. {@link Action#LIST} applies to containers only.
 */
public final class SasScopeCompiler {

  private static final String TARGET = "an Azure SAS";
  private static final Set<Action> BLOB_ACTIONS = EnumSet.of(Action.READ, Action.WRITE, Action.DELETE);

  private SasScopeCompiler() {}

  /**
   * Compiles the scope.
   *
   * @param target {@code azure://account/container/blob}, or {@code azure://account/container/}
   *     for a container SAS
   * @throws IllegalArgumentException if the target is not an {@code azure} resource
   * @throws PolicyNotExpressibleException if a rule that decides an action has a request
   *     condition, a deny rule reaches into a granted container, or nothing is granted
   */
  public static SasScope compile(AccessPolicy policy, WorkloadIdentity identity, Resource target) {
    if (!target.scheme().equals("azure")) {
      throw new IllegalArgumentException("Invalid SAS target '" + target
          + "': use azure://account/container/blob or azure://account/container/");
    }
    List<Resolved> rules = IdentityRules.resolve(policy, identity);
    boolean container = target.key().isEmpty();
    Set<Action> granted = EnumSet.noneOf(Action.class);
    for (Action action : container ? EnumSet.allOf(Action.class) : BLOB_ACTIONS) {
      boolean allowed = container
          ? containerAllows(rules, action, target)
          : blobAllows(rules, action, target);
      if (allowed) {
        granted.add(action);
      }
    }
    if (granted.isEmpty()) {
      throw new PolicyNotExpressibleException("The policy allows identity '" + identity.name()
          + "' no action on " + (container ? "every blob of " : "") + target + ", so there is no"
          + " SAS to issue" + (container ? "; request a SAS for one blob instead" : ""));
    }
    return new SasScope(target.account(), target.container(),
        container ? null : target.key(), permissions(granted));
  }

  private static boolean blobAllows(List<Resolved> rules, Action action, Resource blob) {
    boolean allowed = false;
    Resolved conditionalAllow = null;
    for (Resolved rule : rules) {
      if (!rule.covers(action) || !matchesAny(rule, blob)) {
        continue;
      }
      if (rule.effect() == Effect.DENY) {
        if (rule.isConditional()) {
          throw rule.notExpressible(TARGET);
        }
        return false;
      }
      if (rule.isConditional()) {
        conditionalAllow = rule;
      } else {
        allowed = true;
      }
    }
    if (!allowed && conditionalAllow != null) {
      throw conditionalAllow.notExpressible(TARGET);
    }
    return allowed;
  }

  private static boolean containerAllows(List<Resolved> rules, Action action, Resource container) {
    Resolved allow = null;
    Resolved conditionalAllow = null;
    for (Resolved rule : rules) {
      if (rule.effect() == Effect.ALLOW && rule.covers(action) && coversWholeContainer(rule, container)) {
        if (rule.isConditional()) {
          conditionalAllow = rule;
        } else {
          allow = rule;
        }
      }
    }
    if (allow == null) {
      if (conditionalAllow != null) {
        throw conditionalAllow.notExpressible(TARGET);
      }
      return false;
    }
    checkNoDenyInside(rules, action, container, allow);
    return true;
  }

  private static void checkNoDenyInside(
      List<Resolved> rules, Action action, Resource container, Resolved allow) {
    for (Resolved rule : rules) {
      if (rule.effect() == Effect.DENY && rule.covers(action)) {
        for (ResourcePattern pattern : rule.patterns("azure")) {
          if (pattern.matchesContainer(container)) {
            throw new PolicyNotExpressibleException("Deny rule " + rule.ref() + " removes part of"
                + " what rule " + allow.ref() + " allows (" + action + " on every blob of "
                + container + "), and a container SAS cannot exclude blobs; request a SAS for one"
                + " blob instead");
          }
        }
      }
    }
  }

  private static boolean matchesAny(Resolved rule, Resource resource) {
    return rule.patterns("azure").stream().anyMatch(pattern -> pattern.matches(resource));
  }

  private static boolean coversWholeContainer(Resolved rule, Resource container) {
    return rule.patterns("azure").stream().anyMatch(pattern ->
        pattern.matchesContainer(container) && pattern.keyPattern().equals("**"));
  }

  private static String permissions(Set<Action> granted) {
    StringBuilder letters = new StringBuilder();
    if (granted.contains(Action.READ)) {
      letters.append('r');
    }
    if (granted.contains(Action.WRITE)) {
      letters.append("cw");
    }
    if (granted.contains(Action.DELETE)) {
      letters.append('d');
    }
    if (granted.contains(Action.LIST)) {
      letters.append('l');
    }
    return letters.toString();
  }
}
