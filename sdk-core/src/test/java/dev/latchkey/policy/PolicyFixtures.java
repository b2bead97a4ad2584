package dev.latchkey.policy;

import dev.latchkey.credentials.WorkloadIdentity;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

/** One policy that the table tests share, built with the builders, and its identities. */
final class PolicyFixtures {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** A Wednesday, 11:00 in Berlin. */
  static final Instant WEDNESDAY_MORNING = Instant.parse("2026-03-04T10:00:00Z");

  static final WorkloadIdentity EXPORTER = WorkloadIdentity.of("billing-exporter");
  static final WorkloadIdentity PROD_FINANCE =
      new WorkloadIdentity("ledger-job", Map.of("env", "prod", "team", "finance"));
  static final WorkloadIdentity STAGING_FINANCE =
      new WorkloadIdentity("ledger-job", Map.of("env", "staging", "team", "finance"));
  static final WorkloadIdentity INTL_BOT = WorkloadIdentity.of("intl-bot");
  static final WorkloadIdentity JANITOR = WorkloadIdentity.of("janitor");
  static final WorkloadIdentity OPS = new WorkloadIdentity("log-shipper", Map.of("team", "ops"));
  static final WorkloadIdentity STRANGER = WorkloadIdentity.of("stranger");

  private PolicyFixtures() {}

  static AccessPolicy policy() {
    return AccessPolicy.builder()
        .role(Role.builder().name("reports-reader")
            .rule(Rule.allow("read-reports").actions(Action.READ, Action.LIST)
                .resources("s3://reports/2026/**"))
            .build())
        .role(Role.builder().name("reports-writer")
            .rule(Rule.allow("write-drafts").actions(Action.WRITE)
                .resources("s3://reports/drafts/*")
                .condition(Condition.atMost("resource.size", 10 * 1024 * 1024))
                .condition(Condition.startsWithAny("resource.contentType", "text/")))
            .rule(Rule.deny("no-secrets").actions(Action.values())
                .resources("s3://reports/2026/secret/**"))
            .build())
        .role(Role.builder().name("intl")
            .rule(Rule.allow("read-intl").actions(Action.READ)
                .resources("s3://intl/報告/*", "s3://intl/été/**", "s3://intl/100%/*",
                    "s3://intl/a b/**", "s3://intl/star\\*key", "azure://acct/intl/ключ/*"))
            .build())
        .role(Role.builder().name("office-hours")
            .rule(Rule.allow("delete-tmp").actions(Action.DELETE)
                .resources("s3://reports/tmp/**")
                .condition(Condition.timeOfDay(LocalTime.of(8, 0), LocalTime.of(18, 0), BERLIN))
                .condition(Condition.weekdays(BERLIN, DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                    DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)))
            .build())
        .role(Role.builder().name("exports")
            .rule(Rule.allow("nightly-export").actions(Action.WRITE)
                .resources("s3://exports/**")
                .condition(Condition.equalsAny("context.job", "nightly-export"))
                .condition(Condition.equalsAny("identity.env", "prod")))
            .build())
        .role(Role.builder().name("team-owned")
            .rule(Rule.allow("read-own-team").actions(Action.READ)
                .resources("s3://shared/**")
                .condition(Condition.equalsAttribute("resource.tag.team", "identity.team")))
            .build())
        .role(Role.builder().name("logs")
            .rule(Rule.allow("list-any-log-bucket").actions(Action.LIST).resources("s3://logs-*/**"))
            .rule(Rule.allow("read-azure-logs").actions(Action.READ).resources("azure://*/logs/**"))
            .rule(Rule.deny("no-audit-logs").actions(Action.READ, Action.LIST)
                .resources("s3://logs-audit/**", "azure://acct/logs/audit/**"))
            .build())
        .binding(Binding.builder().id("exporter").identities("billing-exporter")
            .roles("reports-reader", "reports-writer").build())
        .binding(Binding.builder().id("prod-finance").attribute("env", "prod")
            .attribute("team", "finance", "ops").roles("exports", "team-owned").build())
        .binding(Binding.builder().id("staging-finance").attribute("env", "staging")
            .roles("exports").build())
        .binding(Binding.builder().id("intl").identities("intl-bot").roles("intl").build())
        .binding(Binding.builder().id("janitor").identities("janitor").roles("office-hours").build())
        .binding(Binding.builder().id("ops").attribute("team", "ops").roles("logs").build())
        .build();
  }

  static AccessRequest.Builder request(WorkloadIdentity identity, Action action, String resource) {
    return AccessRequest.builder().identity(identity).action(action).resource(resource)
        .time(WEDNESDAY_MORNING);
  }
}
