package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.LogCapture;
import dev.latchkey.testing.ManualScheduler;
import dev.latchkey.testing.RecordingListener;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What listeners see: every kind of transition, with non-secret ids, and no harm when they throw. */
class CredentialCacheEventsTest {

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingListener listener = new RecordingListener();
  private final LogCapture logs = LogCapture.of("dev.latchkey");

  @AfterEach
  void stopCapture() {
    logs.close();
  }

  private CredentialCache<AccessToken> cacheOf(CountingTokenProvider provider, CredentialListener... extra) {
    CredentialCache.Builder<AccessToken> builder = CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .jitterSeed(19);
    for (CredentialListener each : extra) {
      builder.listener(each);
    }
    return builder.listener(listener).build();
  }

  @Test
  void listenerSeesEveryTransition() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    CredentialException outage = new CredentialException("issuer unavailable", true);

    AccessToken first = cache.current();
    clock.set(scheduler.nextDueAt());
    scheduler.runDue();
    AccessToken second = cache.current();
    provider.failNext(() -> outage);
    clock.set(scheduler.nextDueAt());
    scheduler.runDue();
    cache.current();
    provider.failNext(() -> outage);
    clock.set(second.expiresAt().orElseThrow().minusSeconds(30));
    assertThatThrownBy(cache::current).isInstanceOf(CredentialUnavailableException.class);
    clock.set(scheduler.nextDueAt());
    AccessToken third = cache.current();
    cache.invalidate(third);

    assertThat(listener.types()).containsExactly(
        CredentialEvent.Type.ISSUED,
        CredentialEvent.Type.REFRESHED,
        CredentialEvent.Type.REFRESH_FAILED,
        CredentialEvent.Type.SERVED_STALE,
        CredentialEvent.Type.EXPIRED,
        CredentialEvent.Type.REFRESH_FAILED,
        CredentialEvent.Type.REFRESHED,
        CredentialEvent.Type.INVALIDATED);
    assertThat(Set.copyOf(listener.types())).isEqualTo(EnumSet.allOf(CredentialEvent.Type.class));
    assertThat(first.id()).isNotEqualTo(second.id());
  }

  @Test
  void eventsCarryIdTypeAndExpiry() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = cacheOf(provider);
    CredentialException outage = new CredentialException("issuer unavailable", true);

    AccessToken token = cache.current();
    provider.failNext(() -> outage);
    clock.set(scheduler.nextDueAt());
    scheduler.runDue();

    CredentialEvent issued = listener.events().get(0);
    assertThat(issued.providerName()).isEqualTo("counting");
    assertThat(issued.credentialId()).isEqualTo(token.id()).startsWith("sha256:");
    assertThat(issued.credentialType()).isEqualTo("AccessToken");
    assertThat(issued.expiresAt()).isEqualTo(token.expiresAt().orElseThrow());
    assertThat(issued.time()).isEqualTo(token.expiresAt().orElseThrow().minus(Duration.ofHours(1)));
    assertThat(issued.failureCause()).isEmpty();
    CredentialEvent failed = listener.events().get(1);
    assertThat(failed.type()).isEqualTo(CredentialEvent.Type.REFRESH_FAILED);
    assertThat(failed.credentialId()).isEqualTo(token.id());
    assertThat(failed.failureCause()).containsSame(outage);
  }

  @Test
  void throwingListenerDoesNotBreakCache() {
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialListener broken = event -> {
      throw new IllegalStateException("listener bug");
    };
    CredentialCache<AccessToken> cache = cacheOf(provider, broken);

    AccessToken first = cache.current();
    clock.set(scheduler.nextDueAt());
    scheduler.runDue();

    assertThat(cache.current()).isNotSameAs(first);
    assertThat(listener.types()).containsExactly(CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESHED);
    assertThat(logs.messagesAt(Level.WARN).stream().filter(line -> line.contains("listener")).collect(Collectors.toList()))
        .hasSize(2)
        .allMatch(line -> line.contains("provider 'counting'"));
  }
}
