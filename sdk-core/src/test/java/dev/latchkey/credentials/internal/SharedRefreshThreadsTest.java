package dev.latchkey.credentials.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many caches on the shared scheduler and fetch pool: few threads, and no task left after close. */
class SharedRefreshThreadsTest {

  private static final int CACHES = 10_000;

  @Test
  void tenThousandCachesShareFewThreads() {
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    int threadsBefore = Thread.activeCount();
    int tasksBefore = SharedRefreshThreads.pendingScheduledTasks();

    List<CredentialCache<AccessToken>> caches = new ArrayList<>();
    for (int index = 0; index < CACHES; index++) {
      AccessToken token = AccessToken.bearer(
          SecretValue.of("token-" + index), clock.instant().plus(Duration.ofHours(1)));
      CredentialCache<AccessToken> cache = CredentialCache.builder(() -> token).clock(clock).build();
      cache.current();
      caches.add(cache);
    }
    long sharedThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("latchkey-credential-"))
        .count();
    int threadsDuring = Thread.activeCount();
    int tasksDuring = SharedRefreshThreads.pendingScheduledTasks();
    caches.forEach(CredentialCache::close);

    assertThat(sharedThreads).isBetween(1L, 1L + SharedRefreshThreads.MAX_FETCH_THREADS);
    assertThat(threadsDuring - threadsBefore).isLessThanOrEqualTo(1 + SharedRefreshThreads.MAX_FETCH_THREADS);
    assertThat(tasksDuring - tasksBefore).isEqualTo(CACHES);
    assertThat(SharedRefreshThreads.pendingScheduledTasks()).isEqualTo(tasksBefore);
  }
}
