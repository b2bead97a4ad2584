package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a cache refreshes: relative to the lifetime, with jitter, and as the issuer requests. */
class CredentialCacheTimingTest {

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private <C extends Credential> CredentialCache.Builder<C> builderOf(CredentialProvider<C> provider) {
    return CredentialCache.builder(provider).clock(clock).scheduler(scheduler).fetchExecutor(Runnable::run);
  }

  @Test
  void tenSecondCredentialRefreshesBeforeExpiry() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofSeconds(10));
    CredentialCache<AccessToken> cache = builderOf(provider).jitterSeed(1).build();
    Instant fetchedAt = clock.instant();

    cache.current();
    Instant refreshAt = scheduler.nextDueAt();
    while (clock.instant().plusMillis(100).isBefore(refreshAt)) {
      clock.advance(Duration.ofMillis(100));
      cache.current();
    }

    assertThat(refreshAt).isBetween(fetchedAt.plusSeconds(4), fetchedAt.plusSeconds(5));
    assertThat(provider.fetches()).isEqualTo(1);
    clock.set(refreshAt);
    cache.current();
    assertThat(provider.fetches()).isEqualTo(2);
  }

  @Test
  void twelveHourCredentialRefreshesMinutesBeforeExpiry() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(12));
    CredentialCache<AccessToken> cache = builderOf(provider).jitterSeed(1).build();

    Instant expiry = cache.current().expiresAt().orElseThrow();
    Instant refreshAt = scheduler.nextDueAt();
    for (int hour = 1; hour < 11; hour++) {
      clock.advance(Duration.ofHours(1));
      cache.current();
    }

    assertThat(refreshAt).isBetween(expiry.minus(Duration.ofMinutes(6)), expiry.minus(Duration.ofMinutes(5)));
    assertThat(provider.fetches()).isEqualTo(1);
  }

  @Test
  void shortCredentialServedUntilTenthBeforeExpiry() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofSeconds(10));
    CredentialCache<AccessToken> cache = builderOf(provider).jitterSeed(1).build();
    AccessToken first = cache.current();
    for (int failure = 0; failure < 100; failure++) {
      provider.failNext(() -> new CredentialException("issuer unavailable", true));
    }

    clock.advance(Duration.ofMillis(8_999));
    AccessToken lastServed = cache.current();
    clock.advance(Duration.ofMillis(1));

    assertThat(lastServed).isSameAs(first);
    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class);
  }

  @Test
  void simultaneousCachesSpreadRefreshes() {
    int caches = 1_000;
    Duration lifetime = Duration.ofHours(1);
    Instant expiry = clock.instant().plus(lifetime);

    for (int index = 0; index < caches; index++) {
      builderOf(new CountingTokenProvider(clock, lifetime)).build().current();
    }
    List<ManualScheduler.Task> tasks = scheduler.all();
    Instant windowStart = expiry.minus(Duration.ofMinutes(6));
    int[] buckets = new int[10];
    Set<Instant> distinct = new HashSet<>();
    for (ManualScheduler.Task task : tasks) {
      assertThat(task.dueAt()).isBetween(windowStart, expiry.minus(Duration.ofMinutes(5)));
      long offset = Duration.between(windowStart, task.dueAt()).toMillis();
      buckets[(int) Math.min(9, offset / 6_000)]++;
      distinct.add(task.dueAt());
    }

    assertThat(tasks).hasSize(caches);
    assertThat(distinct).hasSizeGreaterThan(900);
    for (int bucket = 0; bucket < buckets.length; bucket++) {
      assertThat(buckets[bucket]).as("refreshes in the %d-th 6-second slice", bucket).isBetween(50, 150);
    }
  }

  @Test
  void issuerRefreshTimeIsHonoured() {
    Instant requested = clock.instant().plus(Duration.ofMinutes(10));
    AccessToken token = AccessToken.builder()
        .token(SecretValue.of("issuer-token"))
        .expiresAt(clock.instant().plus(Duration.ofHours(1)))
        .refreshAt(requested)
        .build();
    CredentialCache<AccessToken> cache = builderOf(() -> token).build();

    cache.current();

    assertThat(scheduler.nextDueAt()).isEqualTo(requested);
  }

  @Test
  void issuerRefreshTimeInPastIsIgnored() {
    AccessToken token = AccessToken.builder()
        .token(SecretValue.of("issuer-token"))
        .expiresAt(clock.instant().plus(Duration.ofHours(1)))
        .refreshAt(clock.instant().minusSeconds(1))
        .build();
    CredentialCache<AccessToken> cache = builderOf(() -> token).jitterSeed(2).build();

    cache.current();

    assertThat(scheduler.nextDueAt()).isAfter(clock.instant().plus(Duration.ofMinutes(50)));
  }
}
