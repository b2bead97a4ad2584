package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import dev.latchkey.testing.RecordingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link CredentialCache#invalidate}: only the current credential, and only once. */
class CredentialCacheInvalidateTest {

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingListener listener = new RecordingListener();
  private final ExecutorService threads = Executors.newFixedThreadPool(10);
  private final ExecutorService fetchPool = Executors.newSingleThreadExecutor();
  private final CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
  private final CredentialCache<AccessToken> cache = CredentialCache.builder(provider)
      .clock(clock)
      .scheduler(scheduler)
      .fetchExecutor(fetchPool)
      .listener(listener)
      .build();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
    fetchPool.shutdownNow();
  }

  @Test
  void hundredRejectionsCauseOneRefresh() throws Exception {
    AccessToken rejected = cache.current();
    CountDownLatch start = new CountDownLatch(1);

    List<Future<AccessToken>> retries = new ArrayList<>();
    for (int request = 0; request < 100; request++) {
      retries.add(threads.submit(() -> {
        start.await();
        cache.invalidate(rejected);
        return cache.current();
      }));
    }
    start.countDown();
    List<AccessToken> served = new ArrayList<>();
    for (Future<AccessToken> retry : retries) {
      served.add(retry.get(10, TimeUnit.SECONDS));
    }

    assertThat(provider.fetches()).isEqualTo(2);
    assertThat(served).allMatch(token -> token.token().reveal().equals("token-2"));
    assertThat(listener.types()).containsExactly(
        CredentialEvent.Type.ISSUED, CredentialEvent.Type.INVALIDATED, CredentialEvent.Type.REFRESHED);
  }

  @Test
  void listenersHearInvalidatedBeforeRefetch() throws Exception {
    CountDownLatch invalidatedHeard = new CountDownLatch(1);
    CountDownLatch releaseListener = new CountDownLatch(1);
    try (CredentialCache<AccessToken> blocking = CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(fetchPool)
        .listener(event -> {
          if (event.type() == CredentialEvent.Type.INVALIDATED) {
            invalidatedHeard.countDown();
            awaitQuietly(releaseListener);
          }
        })
        .build()) {
      AccessToken rejected = blocking.current();
      Future<?> invalidation = threads.submit(() -> blocking.invalidate(rejected));
      assertThat(invalidatedHeard.await(10, TimeUnit.SECONDS)).as("INVALIDATED heard").isTrue();

      AccessToken whileListenerRuns = blocking.current();

      releaseListener.countDown();
      invalidation.get(10, TimeUnit.SECONDS);
      assertThat(whileListenerRuns).as("served while the listener runs").isSameAs(rejected);
      assertThat(provider.fetches()).as("fetches while the listener runs").isEqualTo(1);
      assertThat(blocking.current()).as("served after the listener").isNotSameAs(rejected);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void replacedCredentialIsIgnored() {
    AccessToken first = cache.current();
    cache.invalidate(first);
    AccessToken second = cache.current();

    cache.invalidate(first);
    AccessToken third = cache.current();

    assertThat(third).isSameAs(second);
    assertThat(provider.fetches()).isEqualTo(2);
  }

  @Test
  void unknownCredentialIsIgnored() {
    AccessToken held = cache.current();

    cache.invalidate(AccessToken.bearer(SecretValue.of("token-1"), held.expiresAt().orElseThrow()));

    assertThat(cache.current()).isSameAs(held);
    assertThat(provider.fetches()).isEqualTo(1);
  }

  @Test
  void invalidatedCredentialIsNeverServed() {
    AccessToken held = cache.current();
    provider.failNext(() -> new CredentialException("issuer unavailable", true));

    cache.invalidate(held);

    assertThat(catchCurrent()).isInstanceOf(CredentialUnavailableException.class);
    assertThat(catchCurrent()).isInstanceOf(CredentialUnavailableException.class);
    assertThat(provider.fetches()).isEqualTo(2);
  }

  private Throwable catchCurrent() {
    try {
      return new AssertionError("served " + cache.current());
    } catch (CredentialUnavailableException e) {
      return e;
    }
  }
}
