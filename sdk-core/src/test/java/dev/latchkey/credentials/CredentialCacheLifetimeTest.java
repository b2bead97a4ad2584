package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Credentials without an expiry: a default lifetime for kinds that expire, none for static keys. */
class CredentialCacheLifetimeTest {

  private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(20);

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private <C extends Credential> CredentialCache<C> cacheOf(CredentialProvider<C> provider) {
    return CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .defaultLifetime(DEFAULT_LIFETIME)
        .jitterSeed(17)
        .build();
  }

  private static <C extends Credential> CredentialProvider<C> counting(AtomicInteger fetches, Supplier<C> supplier) {
    return () -> {
      fetches.incrementAndGet();
      return supplier.get();
    };
  }

  @Test
  void accessTokenWithoutExpiryGetsDefaultLifetime() {
    AtomicInteger fetches = new AtomicInteger();
    Instant start = clock.instant();
    CredentialCache<AccessToken> cache = cacheOf(counting(fetches,
        () -> AccessToken.builder().token(SecretValue.of("no-expiry-token")).build()));

    cache.current();
    Instant refreshAt = scheduler.nextDueAt();
    clock.set(start.plus(DEFAULT_LIFETIME).minus(Duration.ofSeconds(61)));
    cache.current();
    clock.set(start.plus(DEFAULT_LIFETIME).minus(Duration.ofSeconds(60)));
    cache.current();

    assertThat(refreshAt).isBetween(start.plus(Duration.ofMinutes(14)), start.plus(Duration.ofMinutes(15)));
    assertThat(fetches).hasValue(2);
  }

  @Test
  void sasTokenWithoutExpiryGetsDefaultLifetime() {
    CredentialCache<SasToken> cache =
        cacheOf(() -> SasToken.of(SecretValue.of("sv=2025-05-05&si=policy&sig=abc"), null));

    cache.current();

    assertThat(scheduler.nextDueAt()).isBefore(clock.instant().plus(DEFAULT_LIFETIME));
  }

  @Test
  void sessionCredentialsWithoutExpiryGetDefaultLifetime() {
    CredentialCache<AwsCredentials> cache = cacheOf(() -> AwsCredentials.builder()
        .accessKeyId("ASIAEXAMPLE")
        .secretAccessKey(SecretValue.of("session-secret"))
        .sessionToken(SecretValue.of("session-token"))
        .build());

    cache.current();

    assertThat(scheduler.nextDueAt()).isBefore(clock.instant().plus(DEFAULT_LIFETIME));
  }

  @Test
  void staticKeysStayValidIndefinitely() {
    AtomicInteger fetches = new AtomicInteger();
    CredentialCache<AwsCredentials> aws = cacheOf(counting(fetches,
        () -> AwsCredentials.of("AKIAEXAMPLE", SecretValue.of("long-term-secret"))));
    CredentialCache<SharedKey> shared = cacheOf(counting(fetches,
        () -> SharedKey.of("account", SecretValue.of("a2V5"))));
    CredentialCache<ApiKey> apiKey = cacheOf(counting(fetches, () -> ApiKey.of(SecretValue.of("api-key"))));

    for (int year = 0; year < 10; year++) {
      aws.current();
      shared.current();
      apiKey.current();
      clock.advance(Duration.ofDays(365));
    }

    assertThat(fetches).hasValue(3);
    assertThat(scheduler.all()).isEmpty();
  }

  @Test
  void staticKeyRefreshesAfterInvalidate() {
    AtomicInteger fetches = new AtomicInteger();
    CredentialCache<ApiKey> cache = cacheOf(counting(fetches, () -> ApiKey.of(SecretValue.of("api-key"))));

    cache.invalidate(cache.current());
    cache.current();

    assertThat(fetches).hasValue(2);
  }
}
