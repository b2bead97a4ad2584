package dev.latchkey.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One permission of a role: an effect, actions, resource patterns and optional conditions. The rule
 * matches a request when the action is one of its actions, the resource matches one of its
 * patterns, and every condition holds.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Rule {

  private final String id;
  private final Effect effect;
  private final Set<Action> actions;
  private final List<ResourcePattern> resources;
  private final List<Condition> conditions;

  private Rule(Builder builder) {
    this.id = builder.id;
    this.effect = builder.effect;
    this.actions = Collections.unmodifiableSet(EnumSet.copyOf(builder.actions));
    this.resources = List.copyOf(builder.resources);
    this.conditions = List.copyOf(builder.conditions);
  }

  /** Returns a builder with no settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder for an allow rule with this id. */
  public static Builder allow(String id) {
    return builder().id(id).effect(Effect.ALLOW);
  }

  /** Returns a builder for a deny rule with this id. */
  public static Builder deny(String id) {
    return builder().id(id).effect(Effect.DENY);
  }

  /** Returns the id, unique within its role. */
  public String id() {
    return id;
  }

  /** Returns whether the rule allows or denies. */
  public Effect effect() {
    return effect;
  }

  /** Returns the actions the rule covers; not empty. */
  public Set<Action> actions() {
    return actions;
  }

  /** Returns the resource patterns the rule covers; not empty. */
  public List<ResourcePattern> resources() {
    return resources;
  }

  /** Returns the conditions that must all hold; empty when the rule is unconditional. */
  public List<Condition> conditions() {
    return conditions;
  }

  @Override
  public String toString() {
    return "Rule[" + id + ", " + effect + ", " + actions + ", " + resources
        + (conditions.isEmpty() ? "" : ", when " + conditions) + "]";
  }

  /** Collects a rule's settings. Not thread-safe. */
  public static final class Builder {
    private String id;
    private Effect effect;
    private final EnumSet<Action> actions = EnumSet.noneOf(Action.class);
    private final List<ResourcePattern> resources = new ArrayList<>();
    private final List<Condition> conditions = new ArrayList<>();

    private Builder() {}

    /** Sets the id: 1 to 128 ASCII letters, digits, {@code .}, {@code _}, {@code -} or {@code :}. */
    public Builder id(String id) {
      this.id = Names.check("rule id", id);
      return this;
    }

    /** Sets whether the rule allows or denies. */
    public Builder effect(Effect effect) {
      this.effect = Objects.requireNonNull(effect, "effect");
      return this;
    }

    /** Adds actions. */
    public Builder actions(Action... actions) {
      for (Action action : actions) {
        this.actions.add(Objects.requireNonNull(action, "action"));
      }
      return this;
    }

    /**
     * Adds resource patterns, such as {@code s3://reports/2026/**}.
     *
     * @throws IllegalArgumentException if a pattern is invalid; see {@link ResourcePattern}
     */
    public Builder resources(String... patterns) {
      for (String pattern : patterns) {
        resources.add(ResourcePattern.parse(pattern));
      }
      return this;
    }

    /** Adds a resource pattern. */
    public Builder resource(ResourcePattern pattern) {
      resources.add(Objects.requireNonNull(pattern, "pattern"));
      return this;
    }

    /** Adds a condition that must hold as well as the others. */
    public Builder condition(Condition condition) {
      conditions.add(Objects.requireNonNull(condition, "condition"));
      return this;
    }

    /**
     * Builds the rule.
     *
     * @throws IllegalStateException if the id, the effect, the actions or the resources are missing
     */
    public Rule build() {
      if (id == null) {
        throw new IllegalStateException("Rule id is missing: call id(...)");
      }
      if (effect == null) {
        throw new IllegalStateException("Effect of rule '" + id + "' is missing: call effect(...)");
      }
      if (actions.isEmpty()) {
        throw new IllegalStateException("Rule '" + id + "' has no actions: call actions(...)");
      }
      if (resources.isEmpty()) {
        throw new IllegalStateException("Rule '" + id + "' has no resources: call resources(...)");
      }
      return new Rule(this);
    }
  }
}
