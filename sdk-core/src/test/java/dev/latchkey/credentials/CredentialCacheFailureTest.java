package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import dev.latchkey.testing.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failed fetches: backoff, serving a usable credential, failing closed, and bounded waits. */
class CredentialCacheFailureTest {

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingListener listener = new RecordingListener();
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private CredentialCache.Builder<AccessToken> builderOf(CredentialProvider<AccessToken> provider) {
    return CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .listener(listener)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
        .jitterSeed(13);
  }

  @Test
  void retriesBackOffExponentiallyUpToCap() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = builderOf(provider).build();
    for (int failure = 0; failure < 6; failure++) {
      provider.failNext(() -> new CredentialException("issuer unavailable", true));
    }
    long[] ceilings = {1_000, 2_000, 4_000, 8_000, 8_000, 8_000};

    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class);
    List<Duration> delays = new ArrayList<>();
    for (int retry = 0; retry < ceilings.length; retry++) {
      ManualScheduler.Task next = scheduler.pending().get(0);
      delays.add(next.delay());
      clock.set(next.dueAt());
      scheduler.runDue();
    }

    for (int retry = 0; retry < ceilings.length; retry++) {
      assertThat(delays.get(retry).toMillis()).as("delay after failure %d", retry + 1)
          .isBetween(ceilings[retry] / 2, ceilings[retry]);
    }
    assertThat(provider.fetches()).isEqualTo(7);
    assertThat(cache.current().token().reveal()).isEqualTo("token-7");
  }

  @Test
  void retryAfterLongerThanBackoffIsHonoured() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = builderOf(provider).build();
    provider.failNext(() -> new TokenEndpointException(
        "HTTP 429 from the token endpoint", null, true, 429, Duration.ofSeconds(6)));

    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class);

    assertThat(scheduler.pending().get(0).delay()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void retryAfterBeyondCapIsCapped() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = builderOf(provider).build();
    provider.failNext(() -> new TokenEndpointException(
        "HTTP 503 from the token endpoint", null, true, 503, Duration.ofDays(365_000)));

    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class);

    assertThat(scheduler.pending().get(0).delay()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void retryAfterShorterThanBackoffKeepsBackoff() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = builderOf(provider).build();
    provider.failNext(() -> new TokenEndpointException(
        "HTTP 503 from the token endpoint", null, true, 503, Duration.ofMillis(10)));

    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class);

    assertThat(scheduler.pending().get(0).delay().toMillis()).isBetween(500L, 1_000L);
  }

  @Test
  void keepsServingUsableCredentialAfterFailure() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = builderOf(provider).build();
    AccessToken held = cache.current();
    CredentialException outage = new CredentialException("issuer unavailable", true);
    provider.failNext(() -> outage);

    clock.set(scheduler.nextDueAt());
    scheduler.runDue();
    AccessToken served = cache.current();
    cache.current();

    assertThat(served).isSameAs(held);
    assertThat(provider.fetches()).isEqualTo(2);
    assertThat(listener.types()).containsExactly(
        CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESH_FAILED, CredentialEvent.Type.SERVED_STALE);
    assertThat(listener.events().get(1).failure()).isSameAs(outage);
  }

  @Test
  void staleCallersFailAtOnceDuringBackoff() throws Exception {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = builderOf(provider).build();
    AccessToken held = cache.current();
    CredentialException outage = new CredentialException("issuer unavailable", false);
    provider.failNext(() -> outage);
    clock.set(held.expiresAt().orElseThrow().minusSeconds(30));

    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class).hasCause(outage);
    List<Future<Integer>> results = new ArrayList<>();
    for (int thread = 0; thread < 8; thread++) {
      results.add(threads.submit(() -> countFailures(cache, outage, 1_000)));
    }
    int failures = 0;
    for (Future<Integer> result : results) {
      failures += result.get(10, TimeUnit.SECONDS);
    }

    assertThat(failures).isEqualTo(8_000);
    assertThat(provider.fetches()).isEqualTo(2);
    clock.set(scheduler.nextDueAt());
    assertThat(cache.current().token().reveal()).isEqualTo("token-3");
    assertThat(provider.fetches()).isEqualTo(3);
  }

  private static int countFailures(CredentialCache<AccessToken> cache, Throwable expectedCause, int calls) {
    int failures = 0;
    for (int call = 0; call < calls; call++) {
      try {
        cache.current();
      } catch (CredentialUnavailableException e) {
        if (e.getCause() == expectedCause && !e.isRetryable()) {
          failures++;
        }
      }
    }
    return failures;
  }

  @Test
  void expiredCredentialIsFailedFetch() {
    AccessToken expired = AccessToken.bearer(SecretValue.of("expired-token"), clock.instant().minusSeconds(1));
    CredentialCache<AccessToken> cache = builderOf(() -> expired).build();

    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .cause()
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("expired at 2025-12-31T23:59:59Z")
        .hasMessageContaining(expired.id());
    assertThat(listener.types()).containsExactly(CredentialEvent.Type.REFRESH_FAILED);
  }

  @Test
  void credentialExpiringNowIsFailedFetch() {
    AccessToken expiring = AccessToken.bearer(SecretValue.of("expiring-token"), clock.instant());
    CredentialCache<AccessToken> cache = builderOf(providerOf("issuer", expiring)).build();

    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasRootCauseMessage(
            "Provider 'issuer' returned credential " + expiring.id()
                + " that expired at 2026-01-01T00:00:00Z, not after now (2026-01-01T00:00:00Z):"
                + " check the issuer and the clocks of both hosts");
  }

  @Test
  void nullCredentialIsFailedFetch() {
    CredentialCache<AccessToken> cache = builderOf(() -> null).build();

    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .cause()
        .hasMessageContaining("returned null");
  }

  @Test
  void waitingCallerTimesOut() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CountDownLatch releaseFetch = new CountDownLatch(1);
    provider.beforeNext(() -> awaitQuietly(releaseFetch));
    CredentialCache<AccessToken> cache = builderOf(provider)
        .fetchExecutor(threads)
        .maxWait(Duration.ofMillis(200))
        .build();

    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("Timed out after PT0.2S waiting for a credential from provider 'counting'; the fetch"
            + " is still running: check the issuer, or raise the cache's maxWait")
        .matches(e -> ((CredentialUnavailableException) e).isRetryable());
    releaseFetch.countDown();

    assertThat(cache.current().token().reveal()).isEqualTo("token-1");
    assertThat(provider.fetches()).isEqualTo(1);
  }

  private static CredentialProvider<AccessToken> providerOf(String name, AccessToken token) {
    return new CredentialProvider<>() {
      @Override
      public AccessToken fetch() {
        return token;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
