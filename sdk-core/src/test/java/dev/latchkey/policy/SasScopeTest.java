package dev.latchkey.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.WorkloadIdentity;
import java.time.DayOfWeek;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SasScopeTest {

  private static final WorkloadIdentity JOB = WorkloadIdentity.of("job");

  @Test
  void blobGetsEveryMatchingAction() {
    AccessPolicy policy = policy(
        Rule.allow("rw").actions(Action.READ, Action.WRITE).resources("azure://acct/c/in/**"),
        Rule.allow("d").actions(Action.DELETE, Action.LIST).resources("azure://acct/c/in/*.tmp"));

    SasScope scope = policy.toSasScope(JOB, Resource.parse("azure://acct/c/in/a.tmp"));

    assertThat(scope).isEqualTo(new SasScope("acct", "c", "in/a.tmp", "rcwd"));
    assertThat(scope.isContainer()).isFalse();
  }

  @Test
  void blobLosesDeniedAction() {
    AccessPolicy policy = policy(
        Rule.allow("rw").actions(Action.READ, Action.WRITE).resources("azure://acct/c/**"),
        Rule.deny("ro").actions(Action.WRITE).resources("azure://acct/c/frozen/**"));

    SasScope scope = policy.toSasScope(JOB, Resource.parse("azure://acct/c/frozen/x"));

    assertThat(scope.permissions()).isEqualTo("r");
  }

  @Test
  void containerNeedsWholeContainerPattern() {
    AccessPolicy policy = policy(
        Rule.allow("all").actions(Action.READ, Action.LIST).resources("azure://*/c/**"),
        Rule.allow("part").actions(Action.WRITE).resources("azure://acct/c/in/**"));

    SasScope scope = policy.toSasScope(JOB, Resource.parse("azure://acct/c/"));

    assertThat(scope).isEqualTo(new SasScope("acct", "c", null, "rl"));
    assertThat(scope.isContainer()).isTrue();
  }

  @Test
  void blobKeepsNonAsciiName() {
    AccessPolicy policy =
        policy(Rule.allow("r").actions(Action.READ).resources("azure://acct/c/報告/*"));

    SasScope scope = policy.toSasScope(JOB, Resource.parse("azure://acct/c/報告/一 月%.csv"));

    assertThat(scope.blobName()).isEqualTo("報告/一 月%.csv");
    assertThat(scope.permissions()).isEqualTo("r");
  }

  @Test
  void rejectsDenyInsideContainer() {
    AccessPolicy policy = policy(
        Rule.allow("all").actions(Action.READ).resources("azure://acct/c/**"),
        Rule.deny("secret").actions(Action.READ).resources("azure://acct/c/secret/**"));

    assertThatThrownBy(() -> policy.toSasScope(JOB, Resource.parse("azure://acct/c/")))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("Deny rule r/secret removes part of what rule r/all allows")
        .hasMessageContaining("a container SAS cannot exclude blobs");
  }

  @Test
  void rejectsContainerWithoutWholeGrant() {
    AccessPolicy policy = policy(Rule.allow("part").actions(Action.READ).resources("azure://acct/c/in/**"));

    assertThatThrownBy(() -> policy.toSasScope(JOB, Resource.parse("azure://acct/c/")))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("no action on every blob of azure://acct/c/")
        .hasMessageContaining("request a SAS for one blob instead");
  }

  @Test
  void rejectsConditionalAllow() {
    AccessPolicy policy = policy(Rule.allow("weekdays").actions(Action.READ)
        .resources("azure://acct/c/**")
        .condition(Condition.weekdays(ZoneOffset.UTC, DayOfWeek.MONDAY)));

    assertThatThrownBy(() -> policy.toSasScope(JOB, Resource.parse("azure://acct/c/x")))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("Rule r/weekdays cannot be written as an Azure SAS");
  }

  @Test
  void rejectsS3Target() {
    AccessPolicy policy = policy(Rule.allow("r").actions(Action.READ).resources("s3://b/**"));

    assertThatThrownBy(() -> policy.toSasScope(JOB, Resource.parse("s3://b/k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid SAS target 's3://b/k'");
  }

  @Test
  void rejectsUnboundIdentity() {
    AccessPolicy policy = policy(Rule.allow("r").actions(Action.READ).resources("azure://acct/c/**"));

    assertThatThrownBy(() -> policy.toSasScope(WorkloadIdentity.of("other"),
        Resource.parse("azure://acct/c/x")))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("allows identity 'other' no action on azure://acct/c/x");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "lr", "rr", "rx", "a c"})
  void scopeRejectsInvalidPermissions(String permissions) {
    assertThatThrownBy(() -> new SasScope("acct", "c", null, permissions))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid SAS permissions '" + permissions + "'");
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
}
