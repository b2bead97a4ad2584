package dev.latchkey.examples;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The demo the README starts: for now, the credential model and its masking. */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) {
    WorkloadIdentity identity = WorkloadIdentity.of("report-exporter").withAttribute("env", "demo");
    AwsCredentials credentials = AwsCredentials.builder()
        .accessKeyId("ASIADEMOEXAMPLE")
        .secretAccessKey(SecretValue.of("demo-secret-that-is-never-printed"))
        .sessionToken(SecretValue.of("demo-session-token"))
        .expiresAt(Instant.parse("2026-01-01T00:00:00Z").plus(20, ChronoUnit.SECONDS))
        .build();
    System.out.println("identity:    " + identity);
    System.out.println("credentials: " + credentials);
  }
}
