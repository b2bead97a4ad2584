package dev.latchkey.benchmarks.policy;

import dev.latchkey.benchmarks.policy.PolicyWorkload.RequestSpec;
import dev.latchkey.benchmarks.policy.PolicyWorkload.RuleSpec;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.PolicyDecision;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One access decision on a 200-rule policy, by Latchkey's indexed {@link AccessPolicy#evaluate},
 * by jCasbin (an RBAC model with {@code keyMatch} resources and deny precedence, the same rules),
 * and by a hand-written loop over {@code java.util.regex} patterns, which is what an application
 * without a policy library would likely write. Each call takes the next of 1,024 prepared requests.
 * Setup checks that all engines decide every request alike.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyEvaluationBenchmark {

  private static final int REQUESTS = 1024;

  private static final String CASBIN_MODEL = String.join("\n",
      "[request_definition]", "r = sub, obj, act",
      "[policy_definition]", "p = sub, obj, act, eft",
      "[role_definition]", "g = _, _",
      "[policy_effect]", "e = some(where (p.eft == allow)) && !some(where (p.eft == deny))",
      "[matchers]", "m = g(r.sub, p.sub) && keyMatch(r.obj, p.obj) && r.act == p.act");

  private AccessPolicy rbac;
  private AccessPolicy abac;
  private AccessRequest[] requests;
  private Enforcer casbin;
  private String[][] casbinRequests;
  private RegexRule[] regexRules;
  private int next;

  /** One rule of the hand-written evaluator. */
  private record RegexRule(String role, boolean allow, String action, Pattern resource) {}

  @Setup(Level.Trial)
  public void setUp() {
    List<RuleSpec> rules = PolicyWorkload.rules();
    List<RequestSpec> specs = PolicyWorkload.requests(REQUESTS);
    rbac = PolicyWorkload.latchkeyPolicy(false);
    abac = PolicyWorkload.latchkeyPolicy(true);
    requests = specs.stream().map(PolicyWorkload::latchkeyRequest).toArray(AccessRequest[]::new);
    casbin = casbinEnforcer(rules);
    casbinRequests = specs.stream()
        .map(s -> new String[] {"service-" + s.identity(), s.resource(), s.action().name()})
        .toArray(String[][]::new);
    regexRules = rules.stream().flatMap(r -> r.actions().stream().map(a -> new RegexRule(
        "role-" + r.role(), r.allow(), a.name(), Pattern.compile(Pattern.quote(r.prefix()) + ".*")
    ))).toArray(RegexRule[]::new);
    checkEnginesAgree();
  }

  @Benchmark
  public PolicyDecision latchkeyRbac() {
    return rbac.evaluate(requests[nextIndex()]);
  }

  @Benchmark
  public PolicyDecision latchkeyAbac() {
    return abac.evaluate(requests[nextIndex()]);
  }

  @Benchmark
  public boolean jcasbin() {
    String[] request = casbinRequests[nextIndex()];
    return casbin.enforce(request[0], request[1], request[2]);
  }

  @Benchmark
  public boolean regexLoop() {
    String[] request = casbinRequests[nextIndex()];
    return regexDecide(request[0], request[1], request[2]);
  }

  private int nextIndex() {
    int index = next;
    next = (index + 1) & (REQUESTS - 1);
    return index;
  }

  /** Scans every rule: any matching deny denies, else any matching allow allows. */
  private boolean regexDecide(String identity, String resource, String action) {
    String role = "role-" + identity.substring("service-".length());
    boolean allowed = false;
    for (RegexRule rule : regexRules) {
      if (rule.role.equals(role) && rule.action.equals(action)
          && rule.resource.matcher(resource).matches()) {
        if (!rule.allow) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  private static Enforcer casbinEnforcer(List<RuleSpec> rules) {
    Enforcer enforcer = new Enforcer(Model.newModelFromString(CASBIN_MODEL));
    for (RuleSpec rule : rules) {
      for (var action : rule.actions()) {
        enforcer.addPolicy("role-" + rule.role(), rule.prefix() + "*", action.name(),
            rule.allow() ? "allow" : "deny");
      }
    }
    for (int r = 0; r < PolicyWorkload.ROLES; r++) {
      enforcer.addGroupingPolicy("service-" + r, "role-" + r);
    }
    return enforcer;
  }

  private void checkEnginesAgree() {
    int allowed = 0;
    for (int i = 0; i < REQUESTS; i++) {
      boolean latchkey = rbac.evaluate(requests[i]).isAllowed();
      String[] request = casbinRequests[i];
      boolean[] others = {abac.evaluate(requests[i]).isAllowed(),
          casbin.enforce(request[0], request[1], request[2]),
          regexDecide(request[0], request[1], request[2])};
      for (boolean other : others) {
        if (other != latchkey) {
          throw new IllegalStateException("Engines disagree on request " + i + ": "
              + String.join(" ", request));
        }
      }
      allowed += latchkey ? 1 : 0;
    }
    if (allowed == 0 || allowed == REQUESTS) {
      throw new IllegalStateException("Workload is one-sided: " + allowed + " of " + REQUESTS
          + " requests allowed");
    }
  }
}
