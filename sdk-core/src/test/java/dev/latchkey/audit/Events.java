package dev.latchkey.audit;

import static dev.latchkey.audit.LogCapture.CANARY;

import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** Sample events of every type, each with the canary secret planted where a careless writer would leak it. */
final class Events {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final WorkloadIdentity IDENTITY =
      WorkloadIdentity.of("billing-exporter").withAttribute("env", "prod").withAttribute("team", "finance");

  private Events() {}

  static AuditStamper stamper() {
    return AuditStamper.create(InstantSource.fixed(T0));
  }

  static StorageRequestEvent storageRequest(AuditStamper stamper, int status) {
    return StorageRequestEvent.builder()
        .stamp(stamper.next())
        .identity(IDENTITY)
        .target("READ", "s3://reports/2026/q1.csv")
        .request("GET", "https://reports.s3.amazonaws.com/2026/q1.csv?X-Amz-Security-Token=" + CANARY
            + "&X-Amz-Signature=" + CANARY)
        .response(status, status == 200 ? null : "AccessDenied", "REQ123")
        .bytes(0, 1024)
        .duration(Duration.ofMillis(12))
        .credential("ASIAEXAMPLE", "sts-assume-role")
        .policyRule("reports-readers")
        .errorMessage(status == 200 ? null : "denied; Authorization: Bearer " + CANARY)
        .build();
  }

  static CredentialAuditEvent credential(AuditStamper stamper, CredentialEvent.Type type) {
    Throwable failure = type == CredentialEvent.Type.REFRESH_FAILED
        ? new IllegalStateException("token endpoint rejected client_secret=" + CANARY)
        : null;
    CredentialEvent event = new CredentialEvent(type, T0, "entra-client-secret", "sha256:abc123def456",
        "AccessToken", T0.plusSeconds(3600), failure);
    return CredentialAuditEvent.from(event, IDENTITY, stamper.next(event.time()));
  }

  static AccessAuditEvent denied(AuditStamper stamper) {
    return AccessAuditEvent.denied(stamper.next(), IDENTITY, "DELETE", "s3://reports/2026/q1.csv",
        "no-deletes", "rule no-deletes denies DELETE on s3://reports/**");
  }

  static AccessAuditEvent allowed(AuditStamper stamper) {
    return AccessAuditEvent.allowed(stamper.next(), IDENTITY, "READ", "s3://reports/2026/q1.csv",
        "reports-readers", "rule reports-readers allows READ on s3://reports/**");
  }

  /** Returns one event of every type. */
  static List<AuditEvent> everyType(AuditStamper stamper) {
    List<AuditEvent> events = new ArrayList<>();
    for (CredentialEvent.Type type : CredentialEvent.Type.values()) {
      events.add(credential(stamper, type));
    }
    events.add(allowed(stamper));
    events.add(denied(stamper));
    events.add(storageRequest(stamper, 200));
    events.add(storageRequest(stamper, 403));
    events.add(new AuditDroppedEvent(stamper.next(), "audit-async", 3, 7));
    return events;
  }
}
