package dev.latchkey.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares the indexed evaluation with the rule-by-rule explanation on random policies and
 * requests over a small alphabet, so that wildcards, deny rules and bindings collide often.
 */
class PolicyIndexConsistencyTest {

  private static final String[] CONTAINERS = {"s3://a", "s3://b", "s3://*", "azure://x/c", "azure://*/c"};
  private static final String[] KEY_PATTERNS = {"**", "*", "p/**", "p/*", "p/*/q", "**q", "*\\**", "p"};
  private static final String[] KEYS = {"", "p", "p/", "p/q", "p/r/q", "q", "*", "p/*", "r/q"};
  private static final String[] RESOURCE_CONTAINERS = {"s3://a", "s3://b", "azure://x/c", "azure://y/c"};

  @Test
  void indexAgreesWithExplanation() {
    Random random = new Random(20261204L);
    for (int round = 0; round < 200; round++) {
      AccessPolicy policy = randomPolicy(random);
      for (int i = 0; i < 50; i++) {
        AccessRequest request = randomRequest(random);

        PolicyExplanation explanation = policy.explain(request);

        boolean anyDeny = explanation.matched().stream().anyMatch(t -> t.effect() == Effect.DENY);
        boolean anyAllow = explanation.matched().stream().anyMatch(t -> t.effect() == Effect.ALLOW);
        assertThat(policy.evaluate(request).isAllowed())
            .as("round %d, %s", round, explanation)
            .isEqualTo(!anyDeny && anyAllow);
      }
    }
  }

  private static AccessPolicy randomPolicy(Random random) {
    AccessPolicy.Builder policy = AccessPolicy.builder();
    for (int r = 0; r < 3; r++) {
      Role.Builder role = Role.builder().name("role" + r);
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        Rule.Builder rule = random.nextInt(4) == 0 ? Rule.deny("rule" + i) : Rule.allow("rule" + i);
        rule.actions(Action.values()[random.nextInt(4)], Action.values()[random.nextInt(4)]);
        rule.resources(pick(random, CONTAINERS) + "/" + pick(random, KEY_PATTERNS));
        if (random.nextInt(5) == 0) {
          rule.condition(Condition.equalsAny("context.job", "j"));
        }
        role.rule(rule);
      }
      policy.role(role.build());
    }
    policy.binding(Binding.builder().id("by-name").identities("w").roles("role0").build());
    policy.binding(Binding.builder().id("by-env").attribute("env", "prod").roles("role1").build());
    policy.binding(Binding.builder().id("both").identities("w").attribute("env", "dev")
        .roles("role2").build());
    return policy.build();
  }

  private static AccessRequest randomRequest(Random random) {
    String env = List.of("prod", "dev", "test").get(random.nextInt(3));
    String name = random.nextBoolean() ? "w" : "v";
    AccessRequest.Builder request = AccessRequest.builder()
        .identity(new WorkloadIdentity(name, Map.of("env", env)))
        .action(Action.values()[random.nextInt(4)])
        .resource(pick(random, RESOURCE_CONTAINERS) + "/" + pick(random, KEYS))
        .time(Instant.EPOCH);
    if (random.nextBoolean()) {
      request.context("job", "j");
    }
    return request.build();
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
