package dev.latchkey.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.WorkloadIdentity;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsSessionPolicyTest {

  private static final WorkloadIdentity JOB =
      new WorkloadIdentity("job", Map.of("env", "prod"));

  @Test
  void compilesPrefixToObjectAndListStatements() {
    AccessPolicy policy = policy(Rule.allow("read").actions(Action.READ, Action.LIST)
        .resources("s3://reports/2026/**"));

    AwsSessionPolicy session = policy.toAwsSessionPolicy(JOB);

    assertThat(session.json()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/2026/*\"},"
        + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::reports\","
        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"2026/*\"}}}]}");
    assertThat(session.length()).isEqualTo(session.json().length());
  }

  @Test
  void mergesResourcesWithSameActions() throws Exception {
    AccessPolicy policy = policy(
        Rule.allow("a").actions(Action.READ, Action.WRITE).resources("s3://b/in/**", "s3://c/**"),
        Rule.allow("b").actions(Action.READ).resources("s3://b/in/deep/**", "s3://b/other/x.csv"),
        Rule.allow("c").actions(Action.WRITE, Action.READ).resources("s3://d/k"));

    JsonNode statements = parse(policy.toAwsSessionPolicy(JOB)).get("Statement");

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0).get("Action").toString())
        .isEqualTo("[\"s3:GetObject\",\"s3:PutObject\"]");
    assertThat(statements.get(0).get("Resource").toString()).isEqualTo(
        "[\"arn:aws:s3:::b/in/*\",\"arn:aws:s3:::c/*\",\"arn:aws:s3:::d/k\"]");
    assertThat(statements.get(1).get("Action").asText()).isEqualTo("s3:GetObject");
    assertThat(statements.get(1).get("Resource").asText()).isEqualTo("arn:aws:s3:::b/other/x.csv");
  }

  @Test
  void keepsActionsThatBroaderPrefixLacks() throws Exception {
    AccessPolicy policy = policy(
        Rule.allow("read-all").actions(Action.READ).resources("s3://b/**"),
        Rule.allow("write-drafts").actions(Action.READ, Action.WRITE).resources("s3://b/drafts/**"));

    JsonNode statements = parse(policy.toAwsSessionPolicy(JOB)).get("Statement");

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0).toString())
        .isEqualTo("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertThat(statements.get(1).toString())
        .isEqualTo("{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/drafts/*\"}");
  }

  @Test
  void wholeBucketListingHasNoCondition() throws Exception {
    AccessPolicy policy = policy(
        Rule.allow("list").actions(Action.LIST).resources("s3://b/**", "s3://b/x/**", "s3://c/p/**",
            "s3://c/q/exact", "s3://c/p/deeper/**"));

    JsonNode statements = parse(policy.toAwsSessionPolicy(JOB)).get("Statement");

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0).toString())
        .isEqualTo("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\"}");
    assertThat(statements.get(1).get("Condition").toString())
        .isEqualTo("{\"StringLike\":{\"s3:prefix\":[\"p/*\",\"q/exact\"]}}");
  }

  @Test
  void escapesIamSpecialAndNonAsciiCharacters() {
    AccessPolicy policy = policy(Rule.allow("odd").actions(Action.READ)
        .resources("s3://b/star\\*key?$", "s3://b/報告/**"));

    String json = policy.toAwsSessionPolicy(JOB).json();

    assertThat(json).contains("arn:aws:s3:::b/star${*}key${?}${$}");
    assertThat(json).contains("arn:aws:s3:::b/\\u5831\\u544A/*");
    assertThat(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
  }

  @Test
  void decidesIdentityConditionsNow() {
    AccessPolicy policy = policy(
        Rule.allow("prod").actions(Action.READ).resources("s3://prod/**")
            .condition(Condition.equalsAny("identity.env", "prod")),
        Rule.allow("staging").actions(Action.READ).resources("s3://staging/**")
            .condition(Condition.equalsAny("identity.env", "staging")));

    String json = policy.toAwsSessionPolicy(JOB).json();

    assertThat(json).contains("arn:aws:s3:::prod/*").doesNotContain("staging");
  }

  @Test
  void leavesOutAzureRulesAndUsesPartition() {
    AccessPolicy policy = policy(
        Rule.allow("s3").actions(Action.DELETE).resources("s3://b/tmp/**"),
        Rule.allow("azure").actions(Action.READ).resources("azure://acct/c/**"));

    String json = policy.toAwsSessionPolicy(JOB, "aws-cn").json();

    assertThat(json).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws-cn:s3:::b/tmp/*\"}]}");
  }

  @Test
  void acceptsTrailingBucketWildcard() {
    AccessPolicy policy = policy(Rule.allow("logs").actions(Action.READ, Action.LIST)
        .resources("s3://logs-*/**"));

    String json = policy.toAwsSessionPolicy(JOB).json();

    assertThat(json).contains("\"arn:aws:s3:::logs-*/*\"", "\"arn:aws:s3:::logs-*\"");
  }

  @Test
  void ignoresDenyOutsideAllowedResources() {
    AccessPolicy policy = policy(
        Rule.allow("read").actions(Action.READ).resources("s3://b/public/**"),
        Rule.deny("secret").actions(Action.READ).resources("s3://b/secret/**"),
        Rule.deny("write").actions(Action.WRITE).resources("s3://b/**"));

    String json = policy.toAwsSessionPolicy(JOB).json();

    assertThat(json).contains("arn:aws:s3:::b/public/*").doesNotContain("secret");
  }

  @Test
  void rejectsDenyInsideAllow() {
    AccessPolicy policy = policy(
        Rule.allow("read").actions(Action.READ).resources("s3://b/**"),
        Rule.deny("secret").actions(Action.READ).resources("s3://b/secret/**"));

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("Deny rule r/secret may remove part of what rule r/read allows")
        .hasMessageContaining("only Allow statements");
  }

  @Test
  void rejectsTimeCondition() {
    AccessPolicy policy = policy(Rule.allow("day").actions(Action.READ).resources("s3://b/**")
        .condition(Condition.timeOfDay(LocalTime.of(8, 0), LocalTime.of(18, 0), ZoneOffset.UTC)));

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("Rule r/day cannot be written as an AWS session policy")
        .hasMessageContaining("time of day in Z from 08:00 to 18:00");
  }

  @Test
  void rejectsContextCondition() {
    AccessPolicy policy = policy(Rule.allow("job").actions(Action.WRITE).resources("s3://b/**")
        .condition(Condition.equalsAny("context.job", "nightly")));

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("context.job equals one of [nightly]");
  }

  @Test
  void rejectsSingleSegmentStar() {
    AccessPolicy policy = policy(Rule.allow("q").actions(Action.READ).resources("s3://b/2026/*"));

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("pattern 's3://b/2026/*' has no exact IAM resource")
        .hasMessageContaining("IAM's * also matches '/'");
  }

  @Test
  void rejectsInnerBucketWildcard() {
    AccessPolicy policy = policy(Rule.allow("q").actions(Action.READ).resources("s3://a*b/**"));

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("a bucket wildcard is exact in IAM only as a trailing *");
  }

  @Test
  void rejectsPolicyWithoutS3Grants() {
    AccessPolicy policy = policy(Rule.allow("azure").actions(Action.READ).resources("azure://a/c/**"));

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("allows identity 'job' nothing on S3");
  }

  @Test
  void rejectsDocumentOverLimit() {
    Rule.Builder rule = Rule.allow("many").actions(Action.READ);
    for (int i = 0; i < 40; i++) {
      rule.resources("s3://bucket-with-a-long-name/some/rather/long/prefix/number-" + i + "/**");
    }
    AccessPolicy policy = policy(rule);

    assertThatThrownBy(() -> policy.toAwsSessionPolicy(JOB))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageMatching("The compiled session policy has \\d{4} characters, and STS accepts at"
            + " most 2048; .*");
  }

  @Test
  void acceptsDocumentAtLimit() {
    Rule.Builder rule = Rule.allow("many").actions(Action.READ);
    for (int i = 0; i < 20; i++) {
      rule.resources("s3://bucket-with-a-long-name/some/rather/long/prefix/number-" + i + "/**");
    }

    AwsSessionPolicy session = policy(rule).toAwsSessionPolicy(JOB);

    assertThat(session.length()).isBetween(1000, AwsSessionPolicy.MAX_LENGTH);
  }

  private static AccessPolicy policy(Rule.Builder... rules) {
    Role.Builder role = Role.builder().name("r");
    for (Rule.Builder rule : rules) {
      role.rule(rule);
    }
    return AccessPolicy.builder().role(role.build())
        .binding(Binding.builder().id("b").identities("job").roles("r").build())
        .build();
  }

  private static JsonNode parse(AwsSessionPolicy session) throws Exception {
    return new ObjectMapper().readTree(session.json());
  }
}
