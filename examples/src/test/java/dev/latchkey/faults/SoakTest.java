package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.audit.AuditSinks;
import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.CredentialUnavailableException;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.IssuedCredentials;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs 16 threads of storage calls for a bounded time while the issuer fails 30 % of its calls and
 * tokens and STS keys live 5 seconds. The run lasts {@code latchkey.soak.seconds} seconds, 60 by
 * default.
 */
class SoakTest {

  private static final int THREADS = 16;
  private static final Duration RUN = Duration.ofSeconds(Long.getLong("latchkey.soak.seconds", 60));
  private static final Duration LIFETIME = Duration.ofSeconds(5);
  /** A concurrent run before the measured one, so server thread pools and caches reach their size. */
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final long PACE_MILLIS = 20;
  private static final int THREAD_TOLERANCE = 6;
  private static final long HEAP_TOLERANCE_BYTES = 64L << 20;

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong credentialFailures = new AtomicLong();
  private final LongAccumulator maxLatencyNanos = new LongAccumulator(Math::max, 0);

  @Test
  void storageSurvivesFailingIssuer() throws Exception {
    Canary canary = Canary.capture();
    CountingAuditSink tokenAudit = new CountingAuditSink();
    CountingAuditSink keyAudit = new CountingAuditSink();
    CountingAuditSink storageAudit = new CountingAuditSink();
    // Under target/canary/, so the scan of the whole suite's output searches this audit file as well.
    Path auditFile = dev.latchkey.testkit.Canary.DIRECTORY.resolve("soak-audit.jsonl");
    Files.createDirectories(auditFile.getParent());
    Files.deleteIfExists(auditFile);
    List<Throwable> unexpected = new ArrayList<>();
    Sample before;
    Sample after;
    long injected;
    long refreshFailures;
    long keyRefreshFailures;
    List<IssuedCredentials> issued;

    try (Sandbox sandbox = Sandbox.builder().tokenLifetime(LIFETIME).credentialLifetime(LIFETIME)
            .azurite(false).buckets("soak").start();
        FaultInjectingProxy issuer = FaultInjectingProxy.builder(sandbox.issuer().issuerUrl())
            // A closed connection is left out: OkHttp may retry it on its own, so no failure reaches the
            // cache to be audited. The fault matrices cover it.
            .failureRate(0.3, Fault.status(500), Fault.status(503), Fault.tooManyRequests(null),
                Fault.truncatedBody(), Fault.malformedBody())
            .seed(20261204L)
            .start();
        JsonLinesAuditSink file = JsonLinesAuditSink.builder(auditFile).build();
        WebIdentityChain chain = new WebIdentityChain(
            issuer.url(sandbox.issuer().tokenEndpoint().encodedPath()).uri(), sandbox.stsEndpoint(), sandbox.s3Endpoint(),
            "soak", AuditSinks.fanOut(tokenAudit, file), AuditSinks.fanOut(keyAudit, file),
            AuditSinks.fanOut(storageAudit, file))) {
      warmUp(chain);
      run(chain, canary, WARM_UP);
      calls.set(0);
      credentialFailures.set(0);
      maxLatencyNanos.reset();
      long keyFailuresBeforeRun = count(keyAudit, EventType.CREDENTIAL_REFRESH_FAILED);
      long faultsBeforeRun = issuer.faultCount();
      long failuresBeforeRun = count(tokenAudit, EventType.CREDENTIAL_REFRESH_FAILED);
      before = Sample.take();

      unexpected.addAll(run(chain, canary, RUN));

      after = Sample.take();
      injected = issuer.faultCount() - faultsBeforeRun;
      refreshFailures = awaitRefreshFailures(tokenAudit, failuresBeforeRun, injected);
      keyRefreshFailures = count(keyAudit, EventType.CREDENTIAL_REFRESH_FAILED) - keyFailuresBeforeRun;
      issued = sandbox.sts().issued();
      assertThat(sandbox.sts().expiredKeyUses()).as("requests the S3 server saw with expired keys").isEmpty();
      System.out.printf("Soak: %ds, %d threads, %d calls, %d failed for want of a credential, max latency %d ms,"
              + " issuer calls forwarded %d, faults injected %d, tokens issued %d, STS keys issued %d,"
              + " threads %d -> %d, heap %d MiB -> %d MiB%n",
          RUN.toSeconds(), THREADS, calls.get(), credentialFailures.get(),
          TimeUnit.NANOSECONDS.toMillis(maxLatencyNanos.get()), issuer.forwardedCount(), injected,
          count(tokenAudit, EventType.CREDENTIAL_ISSUED) + count(tokenAudit, EventType.CREDENTIAL_REFRESHED),
          issued.size(), before.threads, after.threads, before.heapBytes >> 20, after.heapBytes >> 20);
    }

    assertThat(unexpected).as("storage calls that failed for another reason than a missing credential").isEmpty();
    assertThat(credentialFailures.get()).as("storage calls that failed for want of a credential").isZero();
    assertThat(calls.get()).as("storage calls").isGreaterThan(THREADS * RUN.toSeconds());
    assertThat(injected).as("faults the issuer proxy injected").isPositive();
    assertThat(refreshFailures).as("token refresh failures audited").isEqualTo(injected);
    assertThat(keyRefreshFailures).as("STS refresh failures audited").isZero();
    List<StorageRequestEvent> failedAttempts = failedStorageRequests(storageAudit);
    System.out.println("Soak: failed storage attempts (each retried or reported): " + failedAttempts);
    assertThat(failedAttempts).as("storage.request failure events").hasSizeGreaterThanOrEqualTo(unexpected.size())
        .allSatisfy(event -> assertThat(event.errorMessage()).as("error of " + event).isNotBlank());
    assertThat(issued.size()).as("STS keys issued").isGreaterThanOrEqualTo((int) (RUN.toSeconds() / LIFETIME.toSeconds()));
    assertThat(after.threads).as("live threads after the run: %s before, %s after", before.names, after.names).isLessThanOrEqualTo(before.threads + THREAD_TOLERANCE);
    assertThat(after.heapBytes).as("used heap after a GC").isLessThanOrEqualTo(before.heapBytes + HEAP_TOLERANCE_BYTES);

    issued.forEach(keys -> {
      canary.addSecret(keys.secretAccessKey());
      canary.addSecret(keys.sessionToken());
    });
    canary.assertNoSecretIn(Files.readAllLines(auditFile));
  }

  /**
   * Writes each worker's object, retrying while the first token is missing: a cache that never held
   * a credential has nothing to serve while the issuer fails.
   */
  private static void warmUp(WebIdentityChain chain) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int i = 0; i < THREADS; i++) {
      while (true) {
        try {
          chain.storage.put(ref(i), payload(i), "text/plain");
          break;
        } catch (CredentialUnavailableException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          never.await(100, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private List<Throwable> run(WebIdentityChain chain, Canary canary, Duration duration) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService workers = Executors.newFixedThreadPool(THREADS);
    List<Future<List<Throwable>>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int worker = i;
      results.add(workers.submit(() -> work(chain, worker, stop, deadline, canary)));
    }
    List<Throwable> unexpected = new ArrayList<>();
    for (Future<List<Throwable>> result : results) {
      unexpected.addAll(result.get(duration.toSeconds() + 60, TimeUnit.SECONDS));
    }
    stop.countDown();
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).as("workers stopped").isTrue();
    return unexpected;
  }

  private List<Throwable> work(WebIdentityChain chain, int worker, CountDownLatch stop, long deadline, Canary canary)
      throws InterruptedException {
    List<Throwable> unexpected = new ArrayList<>();
    long round = 0;
    while (System.nanoTime() < deadline && !stop.await(PACE_MILLIS, TimeUnit.MILLISECONDS)) {
      long start = System.nanoTime();
      try {
        call(chain, worker, round++);
      } catch (CredentialUnavailableException e) {
        credentialFailures.incrementAndGet();
        canary.recordFailure(e);
      } catch (RuntimeException | IOException e) {
        unexpected.add(e);
        canary.recordFailure(e);
      }
      maxLatencyNanos.accumulate(System.nanoTime() - start);
      calls.incrementAndGet();
    }
    return unexpected;
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

  private static long count(CountingAuditSink sink, EventType type) {
    return sink.count(type);
  }

  private static List<StorageRequestEvent> failedStorageRequests(CountingAuditSink sink) {
    return List.copyOf(sink.failedStorageRequests);
  }

  /**
   * Waits, at most 5 seconds, until the token cache has audited as many failures since the run began
   * as the proxy injected faults: a fetch that got its fault just before the run ended may not have
   * reported it yet.
   */
  private static long awaitRefreshFailures(CountingAuditSink tokenAudit, long failuresBeforeRun, long injected)
      throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long audited = count(tokenAudit, EventType.CREDENTIAL_REFRESH_FAILED) - failuresBeforeRun;
    while (audited < injected && System.nanoTime() < deadline) {
      never.await(50, TimeUnit.MILLISECONDS);
      audited = count(tokenAudit, EventType.CREDENTIAL_REFRESH_FAILED) - failuresBeforeRun;
    }
    return audited;
  }

  /** Counts audit events by type and keeps only failed storage requests, so a long run does not fill the heap. */
  private static final class CountingAuditSink implements AuditSink {

    private final Map<EventType, LongAdder> counts = new ConcurrentHashMap<>();
    private final Queue<StorageRequestEvent> failedStorageRequests = new ConcurrentLinkedQueue<>();

    @Override
    public void write(AuditEvent event) {
      counts.computeIfAbsent(event.type(), type -> new LongAdder()).increment();
      if (event instanceof StorageRequestEvent request && request.outcome() == EventOutcome.FAILURE) {
        failedStorageRequests.add(request);
      }
    }

    long count(EventType type) {
      LongAdder count = counts.get(type);
      return count == null ? 0 : count.sum();
    }
  }

  /** Live threads and used heap after a full collection. */
  private record Sample(int threads, long heapBytes, Map<String, Long> names) {

    static Sample take() {
      System.gc();
      Map<String, Long> names = Thread.getAllStackTraces().keySet().stream()
          .collect(Collectors.groupingBy(thread -> thread.getName().replaceAll("[0-9]+", "#"), TreeMap::new,
              Collectors.counting()));
      return new Sample(ManagementFactory.getThreadMXBean().getThreadCount(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), names);
    }
  }
}
