package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads against one cache on a scripted timeline: one fetch per expiry, never a stale
 * credential, never a mixed one, and no caller held up by a fetch while the credential is usable.
 */
class CredentialCacheConcurrencyTest {

  private static final int THREADS = 64;
  private static final int CALLS_PER_THREAD = 10_000;
  private static final int EXPIRIES = 50;
  private static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final Duration STALE_MARGIN = Duration.ofMinutes(1);

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final ExecutorService fetchPool = Executors.newFixedThreadPool(2);
  private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopThreads() {
    fetchPool.shutdownNow();
    callers.shutdownNow();
  }

  @Test
  void fetchesOncePerExpiryForManyThreads() throws Exception {
    CountingTokenProvider provider = new CountingTokenProvider(clock, LIFETIME);
    Semaphore installed = new Semaphore(0);
    CredentialCache<AccessToken> cache = cacheOf(provider, event -> {
      if (event.type() == CredentialEvent.Type.ISSUED || event.type() == CredentialEvent.Type.REFRESHED) {
        installed.release();
      }
    });
    Phaser phases = new Phaser(THREADS + 1);
    Queue<String> violations = new ConcurrentLinkedQueue<>();
    List<Future<?>> workers = startWorkers(cache, provider, phases, violations);

    Instant expiry = null;
    for (int phase = 0; phase < EXPIRIES; phase++) {
      if (expiry != null) {
        clock.set(phase % 2 == 1 ? expiry.minus(Duration.ofMinutes(2)) : expiry.minusSeconds(30));
      }
      phases.arriveAndAwaitAdvance();
      phases.arriveAndAwaitAdvance();
      assertThat(installed.tryAcquire(10, TimeUnit.SECONDS)).as("credential of phase %d", phase).isTrue();
      expiry = provider.expiryOf("token-" + (phase + 1));
    }
    for (Future<?> worker : workers) {
      worker.get(30, TimeUnit.SECONDS);
    }

    assertThat(violations).isEmpty();
    assertThat(provider.fetches()).isEqualTo(EXPIRIES);
    assertThat(installed.availablePermits()).isZero();
  }

  /**
   * Starts the callers. In each phase every caller makes its share of calls between two barriers,
   * and records any credential that was stale when the call began, did not come from one fetch, or
   * is older than one it already got.
   */
  private List<Future<?>> startWorkers(
      CredentialCache<AccessToken> cache, CountingTokenProvider provider, Phaser phases, Queue<String> violations) {
    int callsPerPhase = CALLS_PER_THREAD / EXPIRIES;
    List<Future<?>> workers = new ArrayList<>();
    for (int thread = 0; thread < THREADS; thread++) {
      workers.add(callers.submit(() -> {
        int newest = 0;
        for (int phase = 0; phase < EXPIRIES; phase++) {
          phases.arriveAndAwaitAdvance();
          for (int call = 0; call < callsPerPhase; call++) {
            newest = checkedCall(cache, provider, newest, violations);
          }
          phases.arriveAndAwaitAdvance();
        }
        return null;
      }));
    }
    return workers;
  }

  private int checkedCall(
      CredentialCache<AccessToken> cache, CountingTokenProvider provider, int newest, Queue<String> violations) {
    long before = clock.millis();
    AccessToken token = cache.current();
    String value = token.token().reveal();
    int number = Integer.parseInt(value.substring("token-".length()));
    Instant expiry = token.expiresAt().orElseThrow();

    if (!expiry.equals(provider.expiryOf(value))) {
      violations.add(value + " carries the expiry " + expiry + " of another fetch");
    }
    if (before >= expiry.minus(STALE_MARGIN).toEpochMilli()) {
      violations.add(value + " was served at " + Instant.ofEpochMilli(before) + ", past its stale time");
    }
    if (number < newest) {
      violations.add(value + " was served after token-" + newest);
    }
    return Math.max(number, newest);
  }

  @Test
  void servesHeldCredentialWhileFetchHangs() throws Exception {
    CountingTokenProvider provider = new CountingTokenProvider(clock, LIFETIME);
    CountDownLatch refreshed = new CountDownLatch(1);
    CredentialCache<AccessToken> cache = cacheOf(provider, event -> {
      if (event.type() == CredentialEvent.Type.REFRESHED) {
        refreshed.countDown();
      }
    });
    AccessToken held = cache.current();
    CountDownLatch fetchStarted = new CountDownLatch(1);
    CountDownLatch releaseFetch = new CountDownLatch(1);
    provider.beforeNext(() -> {
      fetchStarted.countDown();
      awaitQuietly(releaseFetch);
    });

    clock.set(held.expiresAt().orElseThrow().minus(Duration.ofMinutes(2)));
    List<Future<List<AccessToken>>> results = new ArrayList<>();
    for (int thread = 0; thread < 8; thread++) {
      results.add(callers.submit(() -> callRepeatedly(cache, 1_000)));
    }
    List<AccessToken> served = new ArrayList<>();
    for (Future<List<AccessToken>> result : results) {
      served.addAll(result.get(10, TimeUnit.SECONDS));
    }

    assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(releaseFetch.getCount()).as("the fetch is still held").isEqualTo(1);
    assertThat(served).hasSize(8_000).allMatch(token -> token == held);
    releaseFetch.countDown();
    assertThat(refreshed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.current().token().reveal()).isEqualTo("token-2");
    assertThat(provider.fetches()).isEqualTo(2);
  }

  @Test
  void staleCallersShareOneFetch() throws Exception {
    CountingTokenProvider provider = new CountingTokenProvider(clock, LIFETIME);
    CredentialCache<AccessToken> cache = cacheOf(provider, CredentialListener.NONE);
    AccessToken held = cache.current();
    CountDownLatch fetchStarted = new CountDownLatch(1);
    CountDownLatch releaseFetch = new CountDownLatch(1);
    provider.beforeNext(() -> {
      fetchStarted.countDown();
      awaitQuietly(releaseFetch);
    });

    clock.set(held.expiresAt().orElseThrow().minusSeconds(30));
    List<Future<List<AccessToken>>> results = new ArrayList<>();
    for (int thread = 0; thread < 16; thread++) {
      results.add(callers.submit(() -> callRepeatedly(cache, 1)));
    }
    assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();
    boolean anyReturnedEarly = results.stream().anyMatch(Future::isDone);
    releaseFetch.countDown();
    List<AccessToken> served = new ArrayList<>();
    for (Future<List<AccessToken>> result : results) {
      served.addAll(result.get(10, TimeUnit.SECONDS));
    }

    assertThat(anyReturnedEarly).isFalse();
    assertThat(served).hasSize(16).allMatch(token -> token.token().reveal().equals("token-2"));
    assertThat(provider.fetches()).isEqualTo(2);
  }

  private CredentialCache<AccessToken> cacheOf(CountingTokenProvider provider, CredentialListener listener) {
    return CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(fetchPool)
        .listener(listener)
        .jitterSeed(11)
        .build();
  }

  private static List<AccessToken> callRepeatedly(CredentialCache<AccessToken> cache, int calls) {
    List<AccessToken> served = new ArrayList<>(calls);
    for (int call = 0; call < calls; call++) {
      served.add(cache.current());
    }
    return served;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
