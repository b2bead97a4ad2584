package dev.latchkey.faults;

import static dev.latchkey.faults.SoakHarness.HEAP_TOLERANCE_BYTES;
import static dev.latchkey.faults.SoakHarness.ISSUER_FAILURE_RATE;
import static dev.latchkey.faults.SoakHarness.LIFETIME;
import static dev.latchkey.faults.SoakHarness.RUN;
import static dev.latchkey.faults.SoakHarness.THREADS;
import static dev.latchkey.faults.SoakHarness.THREAD_TOLERANCE;
import static dev.latchkey.faults.SoakHarness.WARM_UP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.audit.AuditSinks;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.faults.SoakHarness.CountingAuditSink;
import dev.latchkey.faults.SoakHarness.RunResult;
import dev.latchkey.faults.SoakHarness.Sample;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.IssuedCredentials;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs 16 threads of S3 calls for a bounded time while the issuer fails 30 % of its calls and
 * tokens and STS keys live 5 seconds. The run lasts {@code latchkey.soak.seconds} seconds, 45 by
 * default.
 */
class SoakTest {

  @Test
  void storageSurvivesFailingIssuer() throws Exception {
    Canary canary = Canary.capture();
    CountingAuditSink tokenAudit = new CountingAuditSink();
    CountingAuditSink keyAudit = new CountingAuditSink();
    CountingAuditSink storageAudit = new CountingAuditSink();
    IssuerProbe probe = new IssuerProbe();
    // Under target/canary/, so the scan of the whole suite's output searches this audit file as well.
    Path auditFile = dev.latchkey.testkit.Canary.DIRECTORY.resolve("soak-audit.jsonl");
    Files.createDirectories(auditFile.getParent());
    Files.deleteIfExists(auditFile);
    RunResult result;
    Sample before;
    Sample after;
    long injected;
    long failingFaults;
    boolean settled;
    long keyRefreshFailures;
    List<IssuedCredentials> issued;

    try (Sandbox sandbox = Sandbox.builder().tokenLifetime(LIFETIME).credentialLifetime(LIFETIME)
            .azurite(false).buckets("soak").start();
        FaultInjectingProxy issuer = FaultInjectingProxy.builder(sandbox.issuer().issuerUrl())
            .failureRate(ISSUER_FAILURE_RATE, SoakHarness.issuerFaults())
            .seed(20261204L)
            .start();
        JsonLinesAuditSink file = JsonLinesAuditSink.builder(auditFile).build();
        WebIdentityChain chain = new WebIdentityChain(
            issuer.url(sandbox.issuer().tokenEndpoint().encodedPath()).uri(), sandbox.stsEndpoint(), sandbox.s3Endpoint(),
            "soak", probe, AuditSinks.fanOut(tokenAudit, file), AuditSinks.fanOut(keyAudit, file),
            AuditSinks.fanOut(storageAudit, file))) {
      SoakHarness.warmUp((worker, round) -> chain.storage.put(ref(worker), payload(worker), "text/plain"));
      SoakHarness.run((worker, round) -> call(chain, worker, round), canary, WARM_UP);
      // The first key fetch fails when the first token fetch does, before the run; only the run counts.
      long keyFailuresBeforeRun = keyAudit.count(EventType.CREDENTIAL_REFRESH_FAILED);
      before = Sample.take();

      result = SoakHarness.run((worker, round) -> call(chain, worker, round), canary, RUN);

      after = Sample.take();
      settled = SoakHarness.awaitSettled(() -> probe.isIdle()
          && tokenAudit.count(EventType.CREDENTIAL_REFRESH_FAILED) == probe.fetchesFailed()
          && probe.fetchesFailed() + probe.silentRetries() == SoakHarness.failingFaults(issuer));
      injected = issuer.faultCount();
      failingFaults = SoakHarness.failingFaults(issuer);
      keyRefreshFailures = keyAudit.count(EventType.CREDENTIAL_REFRESH_FAILED) - keyFailuresBeforeRun;
      issued = sandbox.sts().issued();
      assertThat(sandbox.sts().expiredKeyUses()).as("requests the S3 server saw with expired keys").isEmpty();
      System.out.printf("Soak S3: %ds, %d threads, %d calls, %d failed for want of a credential, %d failed otherwise,"
              + " max latency %d ms; issuer calls forwarded %d, faults injected %d %s, token fetches %d (%d failed,"
              + " %d silent OkHttp retries), token refresh failures audited %d, tokens issued %d, STS keys issued %d,"
              + " threads %d -> %d (outside the test servers %d -> %d), heap %d MiB -> %d MiB%n",
          RUN.toSeconds(), THREADS, result.calls.get(), result.credentialFailures.get(), result.unexpected.size(),
          result.maxLatencyMillis(), issuer.forwardedCount(), injected, SoakHarness.faultsByKind(issuer),
          probe.fetchesStarted(), probe.fetchesFailed(), probe.silentRetries(),
          tokenAudit.count(EventType.CREDENTIAL_REFRESH_FAILED),
          tokenAudit.count(EventType.CREDENTIAL_ISSUED) + tokenAudit.count(EventType.CREDENTIAL_REFRESHED),
          issued.size(), before.threads(), after.threads(),
          before.clientThreads(), after.clientThreads(), before.heapMebibytes(), after.heapMebibytes());
    } finally {
      probe.close();
    }

    assertThat(result.unexpected).as("storage calls that failed for another reason than a missing credential").isEmpty();
    assertThat(result.credentialFailures.get()).as("storage calls that failed for want of a credential").isZero();
    assertThat(result.calls.get()).as("storage calls").isGreaterThan(THREADS * RUN.toSeconds());
    assertThat(injected).as("faults the issuer proxy injected").isPositive();
    assertThat(settled).as("token fetches settled within 5 s of the run's end").isTrue();
    assertThat(tokenAudit.count(EventType.CREDENTIAL_REFRESH_FAILED)).as("token refresh failures audited")
        .isEqualTo(probe.fetchesFailed());
    assertThat(probe.fetchesFailed() + probe.silentRetries())
        .as("failed token fetches plus OkHttp's silent retries, against the failing faults injected")
        .isEqualTo(failingFaults);
    assertThat(keyRefreshFailures).as("STS refresh failures audited during the run").isZero();
    List<StorageRequestEvent> failedAttempts = storageAudit.failedStorageRequests();
    System.out.println("Soak S3: failed storage attempts (each retried or reported): " + failedAttempts);
    assertThat(failedAttempts).as("storage.request failure events").hasSizeGreaterThanOrEqualTo(result.unexpected.size())
        .allSatisfy(event -> assertThat(event.errorMessage()).as("error of " + event).isNotBlank());
    assertThat(issued.size()).as("STS keys issued").isGreaterThanOrEqualTo((int) (RUN.toSeconds() / LIFETIME.toSeconds()));
    assertThat(after.clientThreads()).as("live threads outside the test servers after the run: %s before, %s after",
        before.names(), after.names()).isLessThanOrEqualTo(before.clientThreads() + THREAD_TOLERANCE);
    assertThat(after.heapBytes()).as("used heap after a GC").isLessThanOrEqualTo(before.heapBytes() + HEAP_TOLERANCE_BYTES);

    issued.forEach(keys -> {
      canary.addSecret(keys.secretAccessKey());
      canary.addSecret(keys.sessionToken());
    });
    canary.assertNoSecretIn(Files.readAllLines(auditFile));
  }

  private static void call(WebIdentityChain chain, int worker, long round) throws IOException {
    if (round % 4 == 3) {
      chain.storage.put(ref(worker), payload(worker), "text/plain");
      return;
    }
    try (ObjectContent content = chain.storage.get(ref(worker))) {
      byte[] body = content.stream().readAllBytes();
      if (!new String(body, StandardCharsets.UTF_8).equals(new String(payload(worker), StandardCharsets.UTF_8))) {
        throw new IllegalStateException("Object " + ref(worker) + " has unexpected content");
      }
    }
  }

  private static ObjectRef ref(int worker) {
    return ObjectRef.of("soak", "worker-" + worker + "/data.txt");
  }

  private static byte[] payload(int worker) {
    return ("payload of worker " + worker + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
