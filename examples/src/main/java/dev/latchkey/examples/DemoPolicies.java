package dev.latchkey.examples;

import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;

/** Policies the demo builds in code, beside the one it loads from JSON. */
final class DemoPolicies {

  private DemoPolicies() {}

  /**
   * Returns a policy that lets {@code identity} read everything under {@code pattern}: the demo uses
   * it to send a read that only the server's narrowed credential can refuse.
   */
  static AccessPolicy readEverything(String identity, String pattern) {
    return AccessPolicy.builder()
        .role(Role.builder().name("read-everything").rule(Rule.allow("read-everything").actions(Action.READ).resources(pattern)).build())
        .binding(Binding.builder().id("read-everything").identities(identity).roles("read-everything").build())
        .build();
  }

  /** Returns a policy that lets {@code identity} read, write, delete and list under {@code pattern}. */
  static AccessPolicy readWrite(String identity, String pattern) {
    return AccessPolicy.builder()
        .role(Role.builder().name("read-write")
            .rule(Rule.allow("read-write").actions(Action.READ, Action.WRITE, Action.DELETE, Action.LIST).resources(pattern))
            .build())
        .binding(Binding.builder().id("read-write").identities(identity).roles("read-write").build())
        .build();
  }
}
