package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.CredentialUnavailableException;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The parts the S3 and Azure Blob soak tests share: the run's length and limits, the issuer's fault
 * mix, the loop of 16 paced worker threads, and the samples of threads and heap.
 */
final class SoakHarness {

  static final int THREADS = 16;

  /** The measured run; {@code -Dlatchkey.soak.seconds} sets it, 45 by default to keep the suite short. */
  static final Duration RUN = Duration.ofSeconds(Long.getLong("latchkey.soak.seconds", 45));

  /** The lifetime of the issuer's tokens and of the STS keys. */
  static final Duration LIFETIME = Duration.ofSeconds(5);

  /** A concurrent run before the measured one, so server thread pools and caches reach their size. */
  static final Duration WARM_UP = Duration.ofSeconds(3);

  static final double ISSUER_FAILURE_RATE = 0.3;

  /** The pause before each call of a worker, which limits a worker to 50 calls a second. */
  static final long PACE_MILLIS = 20;

  /**
   * Live threads outside the test servers may grow by this many, because OkHttp and the shared
   * refresh pool start threads on demand and keep them idle for up to a minute. A leak of one thread
   * per refresh would still exceed it, because each soak refreshes its tokens 25 to 30 times.
   */
  static final int THREAD_TOLERANCE = 12;

  /**
   * Name prefixes of the threads of test servers that run in the test JVM. Their pools grow with the
   * load (S3Proxy's Jetty pool grew by 6 in one run on a busy machine), so they are left out of the
   * thread check.
   */
  private static final List<String> SERVER_THREAD_PREFIXES = List.of("S3Proxy-Jetty", "MockWebServer");

  /** Used heap after a GC may grow by this much; the test's audit sinks only count events. */
  static final long HEAP_TOLERANCE_BYTES = 64L << 20;

  /**
   * The delay of the slow responses. It stays well below the token endpoint's 2-second read timeout,
   * so a slow response delays a refresh and does not fail it.
   */
  static final Duration SLOW_RESPONSE_DELAY = Duration.ofMillis(700);

  private SoakHarness() {}

  /**
   * Returns the faults the issuer proxy draws from: HTTP errors, a body that is not JSON and a body
   * cut off by a closed connection. The others close or reset the connection before the response,
   * reset it in the middle of the body, or send slow headers or a slow body.
   */
  static Fault[] issuerFaults() {
    return new Fault[] {
        Fault.status(500), Fault.status(503), Fault.tooManyRequests(null), Fault.malformedBody(),
        Fault.truncatedBody(), Fault.connectionReset(), Fault.resetBeforeResponse(), Fault.resetDuringBody(),
        Fault.slowHeaders(SLOW_RESPONSE_DELAY), Fault.slowBody(SLOW_RESPONSE_DELAY)};
  }

  /** Returns whether a fault of this kind from {@link #issuerFaults()} delays a response without failing it. */
  static boolean isSlowResponse(Fault.Kind kind) {
    return kind == Fault.Kind.SLOW_HEADERS || kind == Fault.Kind.SLOW_BODY;
  }

  /** Returns the proxy's injected faults by kind, leaving out kinds it never injected. */
  static Map<Fault.Kind, Long> faultsByKind(FaultInjectingProxy proxy) {
    Map<Fault.Kind, Long> counts = new TreeMap<>();
    for (Fault.Kind kind : Fault.Kind.values()) {
      if (proxy.faultCount(kind) > 0) {
        counts.put(kind, proxy.faultCount(kind));
      }
    }
    return counts;
  }

  /** Returns the number of injected faults that fail a token request when OkHttp does not retry it. */
  static long failingFaults(FaultInjectingProxy proxy) {
    long failing = 0;
    for (Fault.Kind kind : Fault.Kind.values()) {
      if (!isSlowResponse(kind)) {
        failing += proxy.faultCount(kind);
      }
    }
    return failing;
  }

  /** One storage call of a worker; {@code round} counts the worker's calls from 0. */
  @FunctionalInterface
  interface StorageCall {
    void call(int worker, long round) throws IOException;
  }

  /** What the workers of one run saw. */
  static final class RunResult {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong credentialFailures = new AtomicLong();
    final LongAccumulator maxLatencyNanos = new LongAccumulator(Math::max, 0);
    final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    long maxLatencyMillis() {
      return TimeUnit.NANOSECONDS.toMillis(maxLatencyNanos.get());
    }
  }

  /**
   * Runs {@link #THREADS} workers that repeat {@code call} for {@code duration}, each pausing
   * {@link #PACE_MILLIS} before each call. A {@link CredentialUnavailableException} counts as a failure
   * for want of a credential, any other exception as unexpected; both go to the canary.
   */
  static RunResult run(StorageCall call, Canary canary, Duration duration) throws Exception {
    RunResult result = new RunResult();
    CountDownLatch stop = new CountDownLatch(1);
    long deadline = System.nanoTime() + duration.toNanos();
    List<Thread> workerThreads = new CopyOnWriteArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(THREADS, runnable -> {
      Thread thread = new Thread(runnable, "soak-worker-" + workerThreads.size());
      workerThreads.add(thread);
      return thread;
    });

    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int worker = i;
      futures.add(workers.submit(() -> {
        work(call, worker, stop, deadline, canary, result);
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
    }

    stop.countDown();
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).as("workers stopped").isTrue();
    // A terminated pool's threads may still be alive for a moment, and the thread sample that
    // follows must not count them.
    for (Thread thread : workerThreads) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(thread.isAlive()).as("worker thread %s ended", thread.getName()).isFalse();
    }
    return result;
  }

  private static void work(StorageCall call, int worker, CountDownLatch stop, long deadline, Canary canary,
      RunResult result) throws InterruptedException {
    long round = 0;
    while (System.nanoTime() < deadline && !stop.await(PACE_MILLIS, TimeUnit.MILLISECONDS)) {
      long start = System.nanoTime();
      try {
        call.call(worker, round++);
      } catch (CredentialUnavailableException e) {
        result.credentialFailures.incrementAndGet();
        canary.recordFailure(e);
      } catch (RuntimeException | IOException e) {
        result.unexpected.add(e);
        canary.recordFailure(e);
      }
      result.maxLatencyNanos.accumulate(System.nanoTime() - start);
      result.calls.incrementAndGet();
    }
  }

  /**
   * Runs {@code call} once for each worker, retrying while the first credential is missing: a cache
   * that never held a credential has nothing to serve while the issuer fails.
   */
  static void warmUp(StorageCall call) throws IOException, InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int i = 0; i < THREADS; i++) {
      while (true) {
        try {
          call.call(i, 0);
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

  /**
   * Waits, at most 5 seconds, until {@code settled} holds: a fetch that got its fault just before
   * the run ended, or a background refresh, may still be in flight or not yet audited.
   */
  static boolean awaitSettled(BooleanSupplier settled) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!settled.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      never.await(50, TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /** Counts audit events by type and keeps only failed storage requests, so a long run does not fill the heap. */
  static final class CountingAuditSink implements AuditSink {

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

    List<StorageRequestEvent> failedStorageRequests() {
      return List.copyOf(failedStorageRequests);
    }
  }

  /**
   * Live threads, live threads outside the test servers' pools, and used heap after a full
   * collection, with the thread names (digits replaced by {@code #}) and their counts.
   */
  record Sample(int threads, int clientThreads, long heapBytes, Map<String, Long> names) {

    static Sample take() {
      System.gc();
      Set<Thread> live = Thread.getAllStackTraces().keySet();
      Map<String, Long> names = live.stream()
          .collect(Collectors.groupingBy(thread -> thread.getName().replaceAll("[0-9]+", "#"), TreeMap::new,
              Collectors.counting()));
      int clientThreads = (int) live.stream()
          .filter(thread -> SERVER_THREAD_PREFIXES.stream().noneMatch(thread.getName()::startsWith))
          .count();
      return new Sample(ManagementFactory.getThreadMXBean().getThreadCount(), clientThreads,
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), names);
    }

    long heapMebibytes() {
      return heapBytes >> 20;
    }
  }
}
