package dev.latchkey.policy;

import static dev.latchkey.policy.PolicyFixtures.EXPORTER;
import static dev.latchkey.policy.PolicyFixtures.INTL_BOT;
import static dev.latchkey.policy.PolicyFixtures.JANITOR;
import static dev.latchkey.policy.PolicyFixtures.OPS;
import static dev.latchkey.policy.PolicyFixtures.PROD_FINANCE;
import static dev.latchkey.policy.PolicyFixtures.STAGING_FINANCE;
import static dev.latchkey.policy.PolicyFixtures.STRANGER;
import static dev.latchkey.policy.PolicyFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.WorkloadIdentity;
import java.net.URI;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessPolicyTest {

  private static final AccessPolicy POLICY = PolicyFixtures.policy();

  /** Returns the table rows; each expects "ALLOW role/rule", "DENY role/rule" or "DENY default". */
  static Stream<Arguments> table() {
    return Stream.of(
        // allow and default deny
        row("reader reads a report", EXPORTER, Action.READ, "s3://reports/2026/q1.csv", same(),
            "ALLOW reports-reader/read-reports"),
        row("reader lists a prefix", EXPORTER, Action.LIST, "s3://reports/2026/", same(),
            "ALLOW reports-reader/read-reports"),
        row("reader deep key", EXPORTER, Action.READ, "s3://reports/2026/a/b/c.csv", same(),
            "ALLOW reports-reader/read-reports"),
        row("reader other year", EXPORTER, Action.READ, "s3://reports/2025/q1.csv", same(),
            "DENY default"),
        row("reader other bucket", EXPORTER, Action.READ, "s3://reports-old/2026/q1.csv", same(),
            "DENY default"),
        row("reader may not delete", EXPORTER, Action.DELETE, "s3://reports/2026/q1.csv", same(),
            "DENY default"),
        row("stranger has no role", STRANGER, Action.READ, "s3://reports/2026/q1.csv", same(),
            "DENY default"),
        row("scheme must match", EXPORTER, Action.READ, "azure://reports/2026/q1.csv", same(),
            "DENY default"),
        // deny over allow
        row("deny beats allow", EXPORTER, Action.READ, "s3://reports/2026/secret/k.txt", same(),
            "DENY reports-writer/no-secrets"),
        row("deny covers listing", EXPORTER, Action.LIST, "s3://reports/2026/secret/", same(),
            "DENY reports-writer/no-secrets"),
        row("deny in wildcard bucket", OPS, Action.LIST, "s3://logs-audit/2026/", same(),
            "DENY logs/no-audit-logs"),
        row("deny in azure container", OPS, Action.READ, "azure://acct/logs/audit/x", same(),
            "DENY logs/no-audit-logs"),
        // wildcard containers
        row("wildcard bucket lists", OPS, Action.LIST, "s3://logs-app/", same(),
            "ALLOW logs/list-any-log-bucket"),
        row("wildcard stays in segment", OPS, Action.LIST, "s3://logs/x", same(), "DENY default"),
        row("wildcard account reads", OPS, Action.READ, "azure://other/logs/app/1.log", same(),
            "ALLOW logs/read-azure-logs"),
        // single-segment star
        row("star one segment", EXPORTER, Action.WRITE, "s3://reports/drafts/d.txt",
            r -> r.size(100).contentType("text/plain"), "ALLOW reports-writer/write-drafts"),
        row("star not deeper", EXPORTER, Action.WRITE, "s3://reports/drafts/x/d.txt",
            r -> r.size(100).contentType("text/plain"), "DENY default"),
        // resource conditions
        row("size over limit", EXPORTER, Action.WRITE, "s3://reports/drafts/d.txt",
            r -> r.size(10 * 1024 * 1024 + 1).contentType("text/plain"), "DENY default"),
        row("size at limit", EXPORTER, Action.WRITE, "s3://reports/drafts/d.txt",
            r -> r.size(10 * 1024 * 1024).contentType("text/csv"),
            "ALLOW reports-writer/write-drafts"),
        row("size unknown", EXPORTER, Action.WRITE, "s3://reports/drafts/d.txt",
            r -> r.contentType("text/plain"), "DENY default"),
        row("content type wrong", EXPORTER, Action.WRITE, "s3://reports/drafts/d.bin",
            r -> r.size(1).contentType("application/octet-stream"), "DENY default"),
        row("tag equals identity", PROD_FINANCE, Action.READ, "s3://shared/ledger.csv",
            r -> r.tag("team", "finance"), "ALLOW team-owned/read-own-team"),
        row("tag of other team", PROD_FINANCE, Action.READ, "s3://shared/ledger.csv",
            r -> r.tag("team", "ops"), "DENY default"),
        row("tag unknown", PROD_FINANCE, Action.READ, "s3://shared/ledger.csv", same(),
            "DENY default"),
        // identity and context conditions
        row("job and env match", PROD_FINANCE, Action.WRITE, "s3://exports/2026/x.csv",
            r -> r.context("job", "nightly-export"), "ALLOW exports/nightly-export"),
        row("job missing", PROD_FINANCE, Action.WRITE, "s3://exports/2026/x.csv", same(),
            "DENY default"),
        row("other job", PROD_FINANCE, Action.WRITE, "s3://exports/2026/x.csv",
            r -> r.context("job", "ad-hoc"), "DENY default"),
        row("bound but wrong env", STAGING_FINANCE, Action.WRITE, "s3://exports/2026/x.csv",
            r -> r.context("job", "nightly-export"), "DENY default"),
        // time conditions, in Berlin
        row("office hours", JANITOR, Action.DELETE, "s3://reports/tmp/x", same(),
            "ALLOW office-hours/delete-tmp"),
        row("before office hours", JANITOR, Action.DELETE, "s3://reports/tmp/x",
            r -> r.time(Instant.parse("2026-03-04T06:59:59Z")), "DENY default"),
        row("office opens 08:00", JANITOR, Action.DELETE, "s3://reports/tmp/x",
            r -> r.time(Instant.parse("2026-03-04T07:00:00Z")), "ALLOW office-hours/delete-tmp"),
        row("office closes 18:00", JANITOR, Action.DELETE, "s3://reports/tmp/x",
            r -> r.time(Instant.parse("2026-03-04T17:00:00Z")), "DENY default"),
        row("summer time shifts", JANITOR, Action.DELETE, "s3://reports/tmp/x",
            r -> r.time(Instant.parse("2026-07-01T16:30:00Z")), "DENY default"),
        row("saturday", JANITOR, Action.DELETE, "s3://reports/tmp/x",
            r -> r.time(Instant.parse("2026-03-07T10:00:00Z")), "DENY default"),
        row("friday late UTC", JANITOR, Action.DELETE, "s3://reports/tmp/x",
            r -> r.time(Instant.parse("2026-03-06T16:59:00Z")), "ALLOW office-hours/delete-tmp"),
        // keys with non-ASCII characters, percent signs, spaces and literal stars
        row("japanese key", INTL_BOT, Action.READ, "s3://intl/報告/一月.csv", same(),
            "ALLOW intl/read-intl"),
        row("japanese nested", INTL_BOT, Action.READ, "s3://intl/報告/一/月.csv", same(),
            "DENY default"),
        row("accented nfc", INTL_BOT, Action.READ, "s3://intl/été/x", same(),
            "ALLOW intl/read-intl"),
        row("accented nfd differs", INTL_BOT, Action.READ, "s3://intl/e\u0301te\u0301/x", same(),
            "DENY default"),
        row("percent literal", INTL_BOT, Action.READ, "s3://intl/100%/done", same(),
            "ALLOW intl/read-intl"),
        row("percent not decoded", INTL_BOT, Action.READ, "s3://intl/100%25/done", same(),
            "DENY default"),
        row("space in key", INTL_BOT, Action.READ, "s3://intl/a b/c d.txt", same(),
            "ALLOW intl/read-intl"),
        row("literal star", INTL_BOT, Action.READ, "s3://intl/star*key", same(),
            "ALLOW intl/read-intl"),
        row("escaped star is literal", INTL_BOT, Action.READ, "s3://intl/starXkey", same(),
            "DENY default"),
        row("cyrillic blob", INTL_BOT, Action.READ, "azure://acct/intl/ключ/файл", same(),
            "ALLOW intl/read-intl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void evaluatesTable(String name, WorkloadIdentity identity, Action action, String resource,
      UnaryOperator<AccessRequest.Builder> extras, String expected) {
    AccessRequest request = extras.apply(request(identity, action, resource)).build();

    PolicyDecision decision = POLICY.evaluate(request);

    assertThat(describe(decision)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void explainAgreesWithEvaluate(String name, WorkloadIdentity identity, Action action,
      String resource, UnaryOperator<AccessRequest.Builder> extras, String expected) {
    AccessRequest request = extras.apply(request(identity, action, resource)).build();

    PolicyExplanation explanation = POLICY.explain(request);

    assertThat(explanation.decision()).isEqualTo(POLICY.evaluate(request));
    boolean anyDeny = explanation.matched().stream().anyMatch(t -> t.effect() == Effect.DENY);
    boolean anyAllow = explanation.matched().stream().anyMatch(t -> t.effect() == Effect.ALLOW);
    assertThat(explanation.decision().isAllowed()).isEqualTo(!anyDeny && anyAllow);
    explanation.decision().rule().ifPresent(rule ->
        assertThat(explanation.matched()).extracting(RuleTrace::rule).contains(rule));
  }

  @Test
  void decisionNamesRuleAndReason() {
    PolicyDecision decision =
        POLICY.evaluate(request(EXPORTER, Action.READ, "s3://reports/2026/secret/k").build());

    assertThat(decision.isAllowed()).isFalse();
    assertThat(decision.rule()).contains(new RuleRef("reports-writer", "no-secrets"));
    assertThat(decision.reason()).isEqualTo("denied by rule 'no-secrets' of role 'reports-writer';"
        + " an explicit deny beats every allow");
  }

  @Test
  void defaultDenyHasNoRule() {
    PolicyDecision decision = POLICY.evaluate(request(STRANGER, Action.LIST, "s3://x/").build());

    assertThat(decision.isAllowed()).isFalse();
    assertThat(decision.rule()).isEmpty();
    assertThat(decision.reason()).startsWith("denied by default").contains("LIST");
  }

  @Test
  void explainListsEveryRuleWithItsOutcome() {
    AccessRequest request = request(EXPORTER, Action.READ, "s3://reports/2026/secret/k").build();

    PolicyExplanation explanation = POLICY.explain(request);

    assertThat(explanation.rules()).hasSize(10);
    assertThat(explanation.matched()).extracting(t -> t.rule().toString())
        .containsExactly("reports-reader/read-reports", "reports-writer/no-secrets");
    assertThat(trace(explanation, "write-drafts").outcome())
        .isEqualTo(RuleTrace.Outcome.ACTION_NOT_COVERED);
    assertThat(trace(explanation, "read-intl").outcome())
        .isEqualTo(RuleTrace.Outcome.ROLE_NOT_BOUND);
    assertThat(trace(explanation, "read-reports").detail())
        .contains("binding 'exporter'", "s3://reports/2026/**");
  }

  @Test
  void explainNamesFailedCondition() {
    AccessRequest request = request(EXPORTER, Action.WRITE, "s3://reports/drafts/d.bin")
        .size(5).contentType("image/png").build();

    RuleTrace trace = trace(POLICY.explain(request), "write-drafts");

    assertThat(trace.outcome()).isEqualTo(RuleTrace.Outcome.CONDITION_NOT_MET);
    assertThat(trace.detail()).contains("resource.contentType starts with one of [text/]");
  }

  @Test
  void explainNamesUnmatchedResource() {
    RuleTrace trace = trace(
        POLICY.explain(request(EXPORTER, Action.READ, "s3://reports/2025/a").build()),
        "read-reports");

    assertThat(trace.outcome()).isEqualTo(RuleTrace.Outcome.RESOURCE_NOT_MATCHED);
    assertThat(trace.detail()).contains("s3://reports/2025/a");
  }

  @Test
  void resourceUriIsPercentDecoded() {
    AccessRequest request = AccessRequest.builder().identity(INTL_BOT).action(Action.READ)
        .resource(URI.create("s3://intl/100%25/a%20b")).time(PolicyFixtures.WEDNESDAY_MORNING)
        .build();

    assertThat(request.resource().key()).isEqualTo("100%/a b");
    assertThat(POLICY.evaluate(request).isAllowed()).isTrue();
  }

  @Test
  void builderRejectsUnknownRole() {
    AccessPolicy.Builder builder = AccessPolicy.builder()
        .binding(Binding.builder().id("b").identities("x").roles("missing").build());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown role 'missing'");
  }

  @Test
  void builderRejectsDuplicateRole() {
    Role role = Role.builder().name("r")
        .rule(Rule.allow("a").actions(Action.READ).resources("s3://b/**")).build();
    AccessPolicy.Builder builder = AccessPolicy.builder().role(role);

    assertThatThrownBy(() -> builder.role(role))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate role name 'r'");
  }

  @Test
  void bindingNeedsIdentityOrAttribute() {
    Binding.Builder builder = Binding.builder().id("everyone").roles("r");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("names no identities and no attributes");
  }

  @Test
  void requestNeedsTime() {
    AccessRequest.Builder builder =
        AccessRequest.builder().identity(EXPORTER).action(Action.READ).resource("s3://b/k");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("time is missing");
  }

  @Test
  void presignMapsToGrantedAction() {
    assertThat(Action.forPresign(dev.latchkey.storage.PresignRequest.Method.GET))
        .isEqualTo(Action.READ);
    assertThat(Action.forPresign(dev.latchkey.storage.PresignRequest.Method.PUT))
        .isEqualTo(Action.WRITE);
  }

  private static RuleTrace trace(PolicyExplanation explanation, String ruleId) {
    return explanation.rules().stream().filter(t -> t.rule().rule().equals(ruleId)).findFirst()
        .orElseThrow();
  }

  private static String describe(PolicyDecision decision) {
    String effect = decision.isAllowed() ? "ALLOW " : "DENY ";
    return effect + decision.rule().map(RuleRef::toString).orElse("default");
  }

  private static UnaryOperator<AccessRequest.Builder> same() {
    return UnaryOperator.identity();
  }

  private static Arguments row(String name, WorkloadIdentity identity, Action action,
      String resource, UnaryOperator<AccessRequest.Builder> extras, String expected) {
    return Arguments.of(name, identity, action, resource, extras, expected);
  }
}
