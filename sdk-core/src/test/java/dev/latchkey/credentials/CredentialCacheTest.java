package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import dev.latchkey.testing.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingListener listener = new RecordingListener();

  private CredentialCache<AccessToken> cacheOf(CredentialProvider<AccessToken> provider) {
    return CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .listener(listener)
        .jitterSeed(7)
        .build();
  }

  @Test
  void fetchesOnceForRepeatedCalls() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);

    AccessToken first = cache.current();
    clock.advance(Duration.ofMinutes(30));
    AccessToken second = cache.current();

    assertThat(second).isSameAs(first);
    assertThat(provider.fetches()).isEqualTo(1);
    assertThat(listener.types()).containsExactly(CredentialEvent.Type.ISSUED);
  }

  @Test
  void schedulesRefreshBeforeExpiry() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    Instant expiry = cache.current().expiresAt().orElseThrow();

    Instant refreshAt = scheduler.nextDueAt();
    clock.set(refreshAt);
    scheduler.runDue();

    assertThat(refreshAt).isBetween(expiry.minus(Duration.ofMinutes(6)), expiry.minus(Duration.ofMinutes(5)));
    assertThat(provider.fetches()).isEqualTo(2);
    assertThat(cache.current().token().reveal()).isEqualTo("token-2");
    assertThat(listener.types()).containsExactly(CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESHED);
  }

  @Test
  void neverServesStaleCredential() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    cache.current();

    clock.advance(Duration.ofMinutes(59));

    assertThat(cache.current().token().reveal()).isEqualTo("token-2");
  }

  @Test
  void failsClosedWithLastFailureOnceStale() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    cache.current();
    CredentialException outage = new CredentialException("issuer unavailable", true);
    provider.failNext(() -> outage);

    clock.advance(Duration.ofMinutes(59).plusSeconds(30));

    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasCause(outage);
    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasCause(outage);
    assertThat(provider.fetches()).isEqualTo(2);
  }

  @Test
  void invalidateRefreshesOnlyCurrentCredential() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    AccessToken rejected = cache.current();

    for (int i = 0; i < 100; i++) {
      cache.invalidate(rejected);
      cache.current();
    }

    assertThat(provider.fetches()).isEqualTo(2);
    assertThat(cache.current()).isNotSameAs(rejected);
  }

  @Test
  void closeFailsLaterCalls() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    cache.current();

    cache.close();

    assertThat(scheduler.pending()).isEmpty();
    assertThatThrownBy(cache::current)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void hitReadsClockMillisOnce() {
    AtomicInteger millisCalls = new AtomicInteger();
    AtomicInteger instantCalls = new AtomicInteger();
    InstantSource countingClock = new InstantSource() {
      @Override
      public long millis() {
        millisCalls.incrementAndGet();
        return clock.millis();
      }

      @Override
      public Instant instant() {
        instantCalls.incrementAndGet();
        return clock.instant();
      }
    };
    CredentialCache<AccessToken> cache = CredentialCache.builder(new CountingTokenProvider(clock, Duration.ofHours(1)))
        .clock(countingClock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .build();
    cache.current();
    millisCalls.set(0);
    instantCalls.set(0);

    for (int call = 0; call < 1_000; call++) {
      cache.current();
    }

    assertThat(millisCalls).hasValue(1_000);
    assertThat(instantCalls).hasValue(0);
  }

  @Test
  void closeFailsWaitingCallers() throws Exception {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CountDownLatch fetchStarted = new CountDownLatch(1);
    CountDownLatch releaseFetch = new CountDownLatch(1);
    provider.beforeNext(() -> {
      fetchStarted.countDown();
      try {
        releaseFetch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CredentialCache<AccessToken> cache = CredentialCache.builder(provider)
          .clock(clock)
          .scheduler(scheduler)
          .fetchExecutor(threads)
          .build();
      Future<Throwable> waiter = threads.submit(() -> catchThrowable(cache::current));
      assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();

      cache.close();

      assertThat(waiter.get(10, TimeUnit.SECONDS))
          .isInstanceOf(CredentialUnavailableException.class)
          .hasMessageContaining("is closed");
    } finally {
      releaseFetch.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void builderRejectsBadDurations() {
    CredentialCache.Builder<AccessToken> builder =
        CredentialCache.builder(new CountingTokenProvider(clock, Duration.ofHours(1)));

    assertThatThrownBy(() -> builder.maxWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWait PT0S");
    assertThatThrownBy(() -> builder.defaultLifetime(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultLifetime PT48H");
    assertThatThrownBy(() -> builder.backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoff cap PT1S");
  }
}
