package dev.latchkey.policy;

import java.util.Objects;

/**
 * The name of one rule within a policy: its role and its id. Printed as {@code role/rule}.
 *
 * @param role the role's name
 * @param rule the rule's id within the role
 */
public record RuleRef(String role, String rule) {

  public RuleRef {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(rule, "rule");
  }

  @Override
  public String toString() {
    return role + "/" + rule;
  }
}
