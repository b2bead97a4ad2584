package dev.latchkey.benchmarks.audit;

import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Duration;

/** A storage request event of typical size (about 700 bytes of JSON) for the audit benchmarks. */
final class SampleEvents {

  static final WorkloadIdentity IDENTITY =
      WorkloadIdentity.of("billing-exporter").withAttribute("env", "prod").withAttribute("team", "finance");

  private SampleEvents() {}

  static StorageRequestEvent storageRequest(AuditStamper stamper) {
    return StorageRequestEvent.builder()
        .stamp(stamper.next())
        .identity(IDENTITY)
        .target("READ", "s3://reports/2026/q1.csv")
        .request("GET", "https://reports.s3.us-east-1.amazonaws.com/2026/q1.csv")
        .response(200, null, "4442587FB7D0A2F9")
        .bytes(0, 1024)
        .duration(Duration.ofMillis(12))
        .credential("ASIAIOSFODNN7EXAMPLE", "sts-assume-role")
        .policyRule("reports-readers")
        .build();
  }

  /** Returns a copy of {@code template} with a new stamp, as a request would create it. */
  static StorageRequestEvent restamp(StorageRequestEvent template, AuditStamper stamper) {
    return new StorageRequestEvent(stamper.next(), template.identity(), template.action(), template.resource(),
        template.outcome(), template.method(), template.url(), template.statusCode(), template.errorCode(),
        template.requestId(), template.bytesSent(), template.bytesReceived(), template.duration(),
        template.credentialId(), template.credentialProvider(), template.policyRule(), template.errorMessage());
  }
}
