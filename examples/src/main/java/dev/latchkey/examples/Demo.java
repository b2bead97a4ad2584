package dev.latchkey.examples;

import dev.latchkey.audit.AsyncAuditSink;
import dev.latchkey.audit.AuditChainVerifier;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditSinks;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.OverflowPolicy;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo the README starts. It starts the local sandbox (an OpenID Connect issuer, an STS, S3Proxy,
 * and Azurite when Node.js is installed), then runs the workload identity {@code report-exporter}
 * against S3 and, when it can, Azure Blob. It prints a summary per backend, writes the audit log as
 * JSON Lines with a hash chain, verifies the chain, and exits with status 0 only if every check held.
 *
 * <p>Options: {@code --duration 60s}, {@code --credential-lifetime 20s}, {@code --token-lifetime 30s},
 * {@code --output target/demo}.
 */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) throws Exception {
    DemoOptions options = DemoOptions.parse(args);
    int status = run(options);
    System.exit(status);
  }

  /** Runs the demo and returns the exit status: 0 when every check held, 1 otherwise. */
  static int run(DemoOptions options) throws IOException, InterruptedException {
    Files.createDirectories(options.outputDirectory());
    Path auditFile = options.outputDirectory().resolve("audit.jsonl");
    deleteOldLogs(options.outputDirectory());
    SecretValue chainKey = SecretValue.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(32)));
    WorkloadIdentity identity = WorkloadIdentity.of("report-exporter").withAttribute("team", "finance");
    AccessPolicy policy = loadPolicy();
    List<String> failures = new ArrayList<>();

    System.out.printf("Starting the sandbox; the workload runs %ds per backend with %ds credentials%n",
        options.duration().toSeconds(), options.credentialLifetime().toSeconds());
    try (Sandbox sandbox = Sandbox.builder()
        .credentialLifetime(options.credentialLifetime())
        .tokenLifetime(options.tokenLifetime())
        .buckets(DemoWorkload.CONTAINER)
        .start()) {
      DemoStats s3 = new DemoStats();
      try (AuditSink audit = auditSink(auditFile, chainKey, s3)) {
        new S3Demo(sandbox, options, policy, identity).run(audit, s3);
      }
      report("S3", s3, options, failures);
      runAzure(sandbox, options, policy, identity, auditFile, chainKey, failures);
    }

    AuditChainVerifier.Report chain = AuditChainVerifier.verify(auditFile, chainKey);
    System.out.printf("Audit log: %s, %d lines; hash chain %s%n", auditFile, chain.linesChecked(),
        chain.intact() ? "intact" : "BROKEN: " + AuditChainVerifier.describe(chain));
    if (!chain.intact()) {
      failures.add("the audit log's hash chain is broken");
    }
    failures.forEach(failure -> System.out.println("FAILED: " + failure));
    System.out.println(failures.isEmpty() ? "Demo finished: every check held." : "Demo finished with failures.");
    return failures.isEmpty() ? 0 : 1;
  }

  private static void runAzure(Sandbox sandbox, DemoOptions options, AccessPolicy policy, WorkloadIdentity identity,
      Path auditFile, SecretValue chainKey, List<String> failures) throws InterruptedException {
    if (sandbox.azurite().isEmpty()) {
      System.out.println("Azure Blob part skipped: " + sandbox.azuriteUnavailableReason().orElse("Azurite is not running"));
      return;
    }
    DemoStats azure = new DemoStats();
    try (AuditSink audit = auditSink(auditFile, chainKey, azure)) {
      new AzureDemo(sandbox.azurite().orElseThrow(), options, policy, identity).run(audit, azure);
    }
    report("Azure", azure, options, failures);
  }

  private static AuditSink auditSink(Path file, SecretValue chainKey, DemoStats stats) {
    JsonLinesAuditSink log = JsonLinesAuditSink.builder(file).hashChain(chainKey).build();
    AuditSink async = AsyncAuditSink.builder(log).overflowPolicy(OverflowPolicy.block(Duration.ofSeconds(5))).build();
    AuditSink alerts = AuditSinks.alerts(event -> System.out.printf("ALERT %s %s%n", event.type().action(), event.id()));
    return AuditSinks.fanOut(async, stats, alerts);
  }

  private static void report(String backend, DemoStats stats, DemoOptions options, List<String> failures) {
    System.out.println(stats.summary(backend));
    check(failures, stats.failedRequests.sum() == 0, backend + ": " + stats.failedRequests.sum() + " requests failed");
    check(failures, stats.mismatches.sum() == 0, backend + ": downloads differed from uploads");
    check(failures, stats.clientDenials.sum() >= 1, backend + ": the client-side policy denied nothing");
    check(failures, stats.serverDenials.sum() >= 1, backend + ": the server denied nothing");
    boolean expectRefresh = options.duration().compareTo(options.credentialLifetime()) > 0;
    check(failures, !expectRefresh || stats.refreshes.sum() >= 1, backend + ": no credential was refreshed");
  }

  private static void check(List<String> failures, boolean condition, String failure) {
    if (!condition) {
      failures.add(failure);
    }
  }

  private static AccessPolicy loadPolicy() throws IOException {
    try (InputStream stream = Demo.class.getResourceAsStream("/report-exporter-policy.json")) {
      return AccessPolicy.fromJson(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void deleteOldLogs(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      for (Path file : files.filter(path -> path.getFileName().toString().startsWith("audit.jsonl")).toList()) {
        Files.delete(file);
      }
    }
  }
}
