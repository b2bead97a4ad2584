package dev.latchkey.policy.internal;

import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Condition;
import dev.latchkey.policy.Effect;
import dev.latchkey.policy.PolicyDecision;
import dev.latchkey.policy.ResourcePattern;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.policy.RuleRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of a policy arranged for fast evaluation: by action, then by the container their
 * pattern names, with deny rules apart from allow rules. Patterns whose container has a wildcard
 * are kept in one list per action that every request of that action scans.
 *
 * <p>{@link #evaluate} performs one hash lookup and scans only the rules of the request's action
 * and container; it allocates nothing, because decisions are built once per rule. Instances are
 * immutable and thread-safe.
 */
public final class PolicyIndex {

  private final ActionRules[] byAction;
  private final PolicyDecision[] defaultDenies;

  private PolicyIndex(ActionRules[] byAction) {
    this.byAction = byAction;
    this.defaultDenies = new PolicyDecision[Action.values().length];
    for (Action action : Action.values()) {
      defaultDenies[action.ordinal()] = PolicyDecision.deniedByDefault(action);
    }
  }

  /** Indexes the rules of the roles, each bound through the bindings that name its role. */
  public static PolicyIndex build(List<Role> roles, List<Binding> bindings) {
    Map<Action, Map<String, ListsBuilder>> exact = new HashMap<>();
    Map<Action, ListsBuilder> wildcard = new HashMap<>();
    for (Role role : roles) {
      Binding[] roleBindings = bindingsOf(role, bindings);
      if (roleBindings.length == 0) {
        continue;
      }
      for (Rule rule : role.rules()) {
        CompiledRule compiled = new CompiledRule(new RuleRef(role.name(), rule.id()), rule, roleBindings);
        for (Action action : rule.actions()) {
          for (ResourcePattern pattern : rule.resources()) {
            ListsBuilder lists = pattern.hasLiteralContainer()
                ? exact.computeIfAbsent(action, a -> new HashMap<>())
                    .computeIfAbsent(containerKey(pattern), k -> new ListsBuilder())
                : wildcard.computeIfAbsent(action, a -> new ListsBuilder());
            lists.add(new Entry(compiled, pattern));
          }
        }
      }
    }
    return new PolicyIndex(freeze(exact, wildcard));
  }

  /** Returns the decision on a request: a matching deny, else a matching allow, else default deny. */
  public PolicyDecision evaluate(AccessRequest request) {
    ActionRules rules = byAction[request.action().ordinal()];
    EntryLists exact = rules.byContainer.get(request.resource().containerKey());
    Entry decisive = null;
    if (exact != null) {
      decisive = firstMatch(exact.denies, request);
    }
    if (decisive == null) {
      decisive = firstMatch(rules.wildcard.denies, request);
    }
    if (decisive == null && exact != null) {
      decisive = firstMatch(exact.allows, request);
    }
    if (decisive == null) {
      decisive = firstMatch(rules.wildcard.allows, request);
    }
    return decisive == null ? defaultDenies[request.action().ordinal()] : decisive.rule.decision;
  }

  private static Entry firstMatch(Entry[] entries, AccessRequest request) {
    for (Entry entry : entries) {
      if (entry.matches(request)) {
        return entry;
      }
    }
    return null;
  }

  private static Binding[] bindingsOf(Role role, List<Binding> bindings) {
    return bindings.stream().filter(b -> b.roles().contains(role.name())).toArray(Binding[]::new);
  }

  private static String containerKey(ResourcePattern pattern) {
    return pattern.scheme() + "://" + pattern.containerPattern();
  }

  private static ActionRules[] freeze(
      Map<Action, Map<String, ListsBuilder>> exact, Map<Action, ListsBuilder> wildcard) {
    ActionRules[] result = new ActionRules[Action.values().length];
    for (Action action : Action.values()) {
      Map<String, EntryLists> byContainer = new HashMap<>();
      exact.getOrDefault(action, Map.of()).forEach((key, lists) -> byContainer.put(key, lists.freeze()));
      ListsBuilder wild = wildcard.getOrDefault(action, new ListsBuilder());
      result[action.ordinal()] = new ActionRules(byContainer, wild.freeze());
    }
    return result;
  }

  /** A rule with what evaluation needs at hand: its bindings, its conditions, its decision. */
  private static final class CompiledRule {
    final Binding[] bindings;
    final Condition[] conditions;
    final PolicyDecision decision;

    CompiledRule(RuleRef ref, Rule rule, Binding[] bindings) {
      this.bindings = bindings;
      this.conditions = rule.conditions().toArray(new Condition[0]);
      this.decision = rule.effect() == Effect.ALLOW
          ? PolicyDecision.allowedBy(ref)
          : PolicyDecision.deniedBy(ref);
    }

    boolean isBoundTo(WorkloadIdentity identity) {
      for (Binding binding : bindings) {
        if (binding.appliesTo(identity)) {
          return true;
        }
      }
      return false;
    }

    boolean conditionsHold(AccessRequest request) {
      for (Condition condition : conditions) {
        if (!condition.test(request)) {
          return false;
        }
      }
      return true;
    }
  }

  /** One pattern of one rule. */
  private record Entry(CompiledRule rule, ResourcePattern pattern) {
    boolean matches(AccessRequest request) {
      return pattern.matches(request.resource())
          && rule.isBoundTo(request.identity())
          && rule.conditionsHold(request);
    }
  }

  private record EntryLists(Entry[] denies, Entry[] allows) {}

  private record ActionRules(Map<String, EntryLists> byContainer, EntryLists wildcard) {}

  private static final class ListsBuilder {
    final List<Entry> denies = new ArrayList<>();
    final List<Entry> allows = new ArrayList<>();

    void add(Entry entry) {
      boolean deny = entry.rule.decision.rule().isPresent() && !entry.rule.decision.isAllowed();
      (deny ? denies : allows).add(entry);
    }

    EntryLists freeze() {
      return new EntryLists(denies.toArray(new Entry[0]), allows.toArray(new Entry[0]));
    }
  }
}
