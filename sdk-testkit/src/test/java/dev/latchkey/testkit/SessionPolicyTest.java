package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testkit.SessionPolicy.Action;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {

  private static final String REPORTS_POLICY = """
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/2026/*"},
        {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports",
         "Condition":{"StringLike":{"s3:prefix":["2026/*","2026/"]}}},
        {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::reports/2026/secret/*"}
      ]}
      """;

  private final SessionPolicy policy = SessionPolicy.parse(REPORTS_POLICY);

  @Test
  void allowsObjectActionsUnderPrefix() {
    assertThat(policy.allows(Action.GET_OBJECT, "reports", "2026/q1.csv")).isTrue();
    assertThat(policy.allows(Action.PUT_OBJECT, "reports", "2026/deep/q1.csv")).isTrue();
  }

  @Test
  void deniesOutsidePrefixBucketOrAction() {
    assertThat(policy.allows(Action.GET_OBJECT, "reports", "2025/q1.csv")).isFalse();
    assertThat(policy.allows(Action.GET_OBJECT, "other", "2026/q1.csv")).isFalse();
    assertThat(policy.allows(Action.DELETE_OBJECT, "reports", "2026/q1.csv")).isFalse();
  }

  @Test
  void explicitDenyWins() {
    assertThat(policy.allows(Action.GET_OBJECT, "reports", "2026/secret/key.pem")).isFalse();
  }

  @Test
  void listChecksPrefixCondition() {
    assertThat(policy.allows(Action.LIST_BUCKET, "reports", "2026/")).isTrue();
    assertThat(policy.allows(Action.LIST_BUCKET, "reports", "2026/q")).isTrue();
    assertThat(policy.allows(Action.LIST_BUCKET, "reports", "")).isFalse();
    assertThat(policy.allows(Action.LIST_BUCKET, "reports", "2025/")).isFalse();
  }

  @Test
  void unsupportedConditionNeverAllows() {
    SessionPolicy withIpCondition = SessionPolicy.parse("""
        {"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
          "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}
        """);

    assertThat(withIpCondition.allows(Action.GET_OBJECT, "b", "k")).isFalse();
  }

  @Test
  void rejectsInvalidEffect() {
    assertThatThrownBy(() -> SessionPolicy.parse("{\"Statement\":[{\"Effect\":\"Maybe\"}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Effect 'Maybe'");
    assertThatThrownBy(() -> SessionPolicy.parse("{\"Version\":\"2012-10-17\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no Statement");
  }
}
