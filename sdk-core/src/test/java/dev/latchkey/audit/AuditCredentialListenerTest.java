package dev.latchkey.audit;

import static dev.latchkey.audit.LogCapture.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialUnavailableException;
import dev.latchkey.testing.CountingTokenProvider;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The credential cache's listener wired to audit sinks, driven through every transition. */
class AuditCredentialListenerTest {

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryAuditSink memory = new InMemoryAuditSink();

  @Test
  void cacheTransitionsBecomeAuditEvents(@TempDir Path folder) {
    Path file = folder.resolve("audit.jsonl");
    JsonLinesAuditSink fileSink = JsonLinesAuditSink.builder(file).build();
    AuditSink sink = AuditSinks.fanOut(memory, fileSink, AuditSinks.slf4j());
    CountingTokenProvider provider = new CountingTokenProvider(clock, Duration.ofHours(1));
    CredentialCache<AccessToken> cache = CredentialCache.builder(provider)
        .clock(clock).scheduler(scheduler).fetchExecutor(Runnable::run).jitterSeed(7)
        .listener(AuditCredentialListener.create(Events.IDENTITY, sink, AuditStamper.create(clock)))
        .build();

    AccessToken issued = runThroughEveryTransition(cache, provider);
    sink.close();

    assertThat(memory.events()).extracting(AuditEvent::type).containsExactly(
        EventType.CREDENTIAL_ISSUED, EventType.CREDENTIAL_REFRESHED, EventType.CREDENTIAL_REFRESH_FAILED,
        EventType.CREDENTIAL_SERVED_STALE, EventType.CREDENTIAL_EXPIRED, EventType.CREDENTIAL_REFRESH_FAILED,
        EventType.CREDENTIAL_REFRESHED, EventType.CREDENTIAL_INVALIDATED);
    CredentialAuditEvent first = (CredentialAuditEvent) memory.events().get(0);
    assertThat(first.credentialId()).isEqualTo(issued.id());
    assertThat(first.provider()).isEqualTo("counting");
    assertThat(first.time()).isEqualTo(issued.expiresAt().orElseThrow().minus(Duration.ofHours(1)));
    CredentialAuditEvent failed = (CredentialAuditEvent) memory.events(EventType.CREDENTIAL_REFRESH_FAILED).get(0);
    assertThat(failed.errorMessage()).isEqualTo("issuer rejected client_assertion=****");
    assertThat(failed.errorType()).isEqualTo(CredentialException.class.getName());
    assertNoSecretAnywhere(file, issued);
  }

  private AccessToken runThroughEveryTransition(CredentialCache<AccessToken> cache, CountingTokenProvider provider) {
    CredentialException outage = new CredentialException("issuer rejected client_assertion=" + CANARY, true);
    AccessToken issued = cache.current();
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
    cache.invalidate(cache.current());
    return issued;
  }

  private void assertNoSecretAnywhere(Path file, AccessToken issued) {
    String token = issued.token().reveal();
    List<String> eventLines = memory.jsonLines();
    List<JsonNode> fileEvents = AuditLogReader.read(file).events();
    assertThat(fileEvents).hasSize(eventLines.size());
    for (String line : eventLines) {
      assertThat(line).doesNotContain(CANARY).doesNotContain(token);
    }
    for (JsonNode event : fileEvents) {
      assertThat(event.toString()).doesNotContain(CANARY).doesNotContain(token);
    }
    assertThat(logs.lines()).noneMatch(line -> line.contains(token));
  }
}
