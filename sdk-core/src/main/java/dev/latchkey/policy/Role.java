package dev.latchkey.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named set of rules that bindings grant to identities.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Role {

  private final String name;
  private final List<Rule> rules;

  private Role(String name, List<Rule> rules) {
    this.name = name;
    this.rules = List.copyOf(rules);
  }

  /** Returns a builder with no settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the name, unique within the policy. */
  public String name() {
    return name;
  }

  /** Returns the rules in the order they were added; not empty. */
  public List<Rule> rules() {
    return rules;
  }

  @Override
  public String toString() {
    return "Role[" + name + ", " + rules.size() + " rules]";
  }

  /** Collects a role's settings. Not thread-safe. */
  public static final class Builder {
    private String name;
    private final List<Rule> rules = new ArrayList<>();
    private final Set<String> ruleIds = new HashSet<>();

    private Builder() {}

    /** Sets the name: 1 to 128 ASCII letters, digits, {@code .}, {@code _}, {@code -} or {@code :}. */
    public Builder name(String name) {
      this.name = Names.check("role name", name);
      return this;
    }

    /**
     * Adds a rule.
     *
     * @throws IllegalArgumentException if the role already has a rule with the same id
     */
    public Builder rule(Rule rule) {
      Objects.requireNonNull(rule, "rule");
      if (!ruleIds.add(rule.id())) {
        throw new IllegalArgumentException(
            "Duplicate rule id '" + rule.id() + "': give each rule of a role its own id");
      }
      rules.add(rule);
      return this;
    }

    /** Builds and adds a rule. */
    public Builder rule(Rule.Builder rule) {
      return rule(rule.build());
    }

    /**
     * Builds the role.
     *
     * @throws IllegalStateException if the name is missing or the role has no rules
     */
    public Role build() {
      if (name == null) {
        throw new IllegalStateException("Role name is missing: call name(...)");
      }
      if (rules.isEmpty()) {
        throw new IllegalStateException("Role '" + name + "' has no rules: call rule(...)");
      }
      return new Role(name, rules);
    }
  }
}
