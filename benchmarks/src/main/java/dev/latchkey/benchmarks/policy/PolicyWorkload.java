package dev.latchkey.benchmarks.policy;

import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Condition;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The policy and requests that every engine in {@link PolicyEvaluationBenchmark} evaluates: 50
 * roles of 4 rules each (200 rules) over 40 buckets, one identity bound to each role, and requests
 * that are allowed, denied by a deny rule, or denied by default in about equal parts.
 */
final class PolicyWorkload {

  static final int ROLES = 50;
  static final int BUCKETS = 40;
  static final Instant TIME = Instant.parse("2026-03-04T10:00:00Z");

  /** One rule as plain data, so that each engine can be given the same rules. */
  record RuleSpec(int role, String id, boolean allow, List<Action> actions, String prefix) {

    /** Returns the resource pattern, such as {@code s3://bucket-07/team-7/**}. */
    String pattern() {
      return prefix + "**";
    }
  }

  /** One request as plain data. */
  record RequestSpec(int identity, Action action, String resource, long size) {}

  private PolicyWorkload() {}

  static List<RuleSpec> rules() {
    List<RuleSpec> rules = new ArrayList<>();
    for (int r = 0; r < ROLES; r++) {
      String team = bucket(r) + "/team-" + r + "/";
      String shared = r % 10 == 0 ? "s3://archive-*/team-" + r + "/" : bucket(r + 1) + "/shared/tmp-" + r + "/";
      rules.add(new RuleSpec(r, "read", true, List.of(Action.READ, Action.LIST), team));
      rules.add(new RuleSpec(r, "write-drafts", true, List.of(Action.WRITE), team + "drafts/"));
      rules.add(new RuleSpec(r, "no-secrets", false, List.of(Action.values()), team + "secret/"));
      rules.add(new RuleSpec(r, "clean-tmp", true, List.of(Action.DELETE), shared));
    }
    return rules;
  }

  static List<RequestSpec> requests(int count) {
    Random random = new Random(42);
    List<RequestSpec> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int identity = random.nextInt(ROLES);
      String team = bucket(identity) + "/team-" + identity + "/";
      requests.add(switch (i % 6) {
        case 0 -> new RequestSpec(identity, Action.READ, team + "2026/q" + i + ".csv", 1000);
        case 1 -> new RequestSpec(identity, Action.WRITE, team + "drafts/d" + i + ".txt", 1000);
        case 2 -> new RequestSpec(identity, Action.READ, team + "secret/key-" + i, 1000);
        case 3 -> new RequestSpec(identity, Action.LIST, team + "2026/", -1);
        case 4 -> new RequestSpec(identity, Action.READ,
            bucket(identity) + "/team-" + ((identity + 1) % ROLES) + "/x" + i, 1000);
        default -> new RequestSpec(identity, Action.DELETE, "s3://unknown-bucket/x" + i, -1);
      });
    }
    return requests;
  }

  /**
   * Builds the rules as a Latchkey policy. With {@code abac}, allow rules also require {@code
   * identity.env} to be {@code prod}, and the write rule an object of at most 10 MB.
   */
  static AccessPolicy latchkeyPolicy(boolean abac) {
    AccessPolicy.Builder policy = AccessPolicy.builder();
    List<RuleSpec> rules = rules();
    for (int r = 0; r < ROLES; r++) {
      Role.Builder role = Role.builder().name("role-" + r);
      for (RuleSpec spec : rules.subList(r * 4, r * 4 + 4)) {
        Rule.Builder rule = spec.allow() ? Rule.allow(spec.id()) : Rule.deny(spec.id());
        rule.actions(spec.actions().toArray(new Action[0])).resources(spec.pattern());
        if (abac && spec.allow()) {
          rule.condition(Condition.equalsAny("identity.env", "prod"));
        }
        if (abac && spec.actions().equals(List.of(Action.WRITE))) {
          rule.condition(Condition.atMost("resource.size", 10_000_000));
        }
        role.rule(rule);
      }
      policy.role(role.build());
      policy.binding(Binding.builder().id("binding-" + r).identities("service-" + r)
          .roles("role-" + r).build());
    }
    return policy.build();
  }

  static AccessRequest latchkeyRequest(RequestSpec spec) {
    AccessRequest.Builder request = AccessRequest.builder()
        .identity(new WorkloadIdentity("service-" + spec.identity(), Map.of("env", "prod")))
        .action(spec.action())
        .resource(spec.resource())
        .time(TIME);
    if (spec.size() >= 0) {
      request.size(spec.size());
    }
    return request.build();
  }

  private static String bucket(int index) {
    return String.format("s3://bucket-%02d", index % BUCKETS);
  }
}
