package dev.latchkey.audit;

import static dev.latchkey.audit.LogCapture.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AuditSinksTest {

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  private final AuditStamper stamper = Events.stamper();

  @Test
  void slf4jSinkLogsOneJsonObjectPerEvent() throws Exception {
    List<AuditEvent> events = Events.everyType(stamper);

    AuditSink sink = AuditSinks.slf4j();
    events.forEach(sink::write);

    List<String> logged = logs.messagesOf("latchkey.audit");
    assertThat(logged).hasSize(events.size());
    ObjectMapper mapper = new ObjectMapper();
    for (int i = 0; i < events.size(); i++) {
      assertThat(mapper.readTree(logged.get(i)).get("event.id").asText()).isEqualTo(events.get(i).id());
      assertThat(logged.get(i)).doesNotContain(CANARY);
    }
  }

  @Test
  void alertListenerGetsOnlyAlertTypes() {
    List<AuditEvent> alerts = new ArrayList<>();
    AuditSink sink = AuditSinks.alerts(alerts::add);

    Events.everyType(stamper).forEach(sink::write);

    assertThat(alerts).extracting(AuditEvent::type).containsExactlyInAnyOrder(
        EventType.CREDENTIAL_REFRESH_FAILED, EventType.CREDENTIAL_EXPIRED, EventType.ACCESS_DENIED);
  }

  @Test
  void alertListenerTakesChosenTypes() {
    List<AuditEvent> alerts = new ArrayList<>();
    AuditSink sink = AuditSinks.alerts(alerts::add, Set.of(EventType.CREDENTIAL_SERVED_STALE));

    Events.everyType(stamper).forEach(sink::write);

    assertThat(alerts).extracting(AuditEvent::type).containsExactly(EventType.CREDENTIAL_SERVED_STALE);
  }

  @Test
  void failingAlertListenerIsCountedAndThrown() {
    AuditSink sink = AuditSinks.alerts(event -> {
      throw new IllegalStateException("pager down");
    });

    assertThatThrownBy(() -> sink.write(Events.denied(stamper)))
        .isInstanceOf(AuditException.class)
        .hasRootCauseMessage("pager down");
    sink.write(Events.allowed(stamper));
    assertThat(sink.failureCount()).isEqualTo(1);
    assertThat(logs.lines()).anyMatch(line -> line.contains("pager down"));
  }

  @Test
  void fanOutWritesToAllDespiteFailure() {
    InMemoryAuditSink first = new InMemoryAuditSink();
    InMemoryAuditSink last = new InMemoryAuditSink();
    AuditSink failing = event -> {
      throw new IllegalStateException("sink broken for " + CANARY.length() + " events");
    };
    AuditSink fanOut = AuditSinks.fanOut(first, failing, last);

    assertThatThrownBy(() -> fanOut.write(Events.allowed(stamper))).hasMessageContaining("sink broken");

    assertThat(first.events()).hasSize(1);
    assertThat(last.events()).hasSize(1);
    assertThat(fanOut.failureCount()).isEqualTo(1);
  }

  @Test
  void fanOutRejectsNoSinks() {
    assertThatThrownBy(() -> AuditSinks.fanOut(List.of())).hasMessageContaining("at least one sink");
  }

  @Test
  void credentialListenerWritesCredentialEvents() {
    InMemoryAuditSink memory = new InMemoryAuditSink();
    AuditCredentialListener listener = AuditCredentialListener.create(Events.IDENTITY, memory, stamper);

    for (CredentialEvent.Type type : CredentialEvent.Type.values()) {
      Throwable failure = type == CredentialEvent.Type.REFRESH_FAILED
          ? new IllegalStateException("refresh_token=" + CANARY + " rejected")
          : null;
      listener.onEvent(new CredentialEvent(type, Events.T0, "oauth", "sha256:0123", "AccessToken", null, failure));
    }

    assertThat(memory.events()).extracting(AuditEvent::type).containsExactly(
        EventType.CREDENTIAL_ISSUED, EventType.CREDENTIAL_REFRESHED, EventType.CREDENTIAL_REFRESH_FAILED,
        EventType.CREDENTIAL_SERVED_STALE, EventType.CREDENTIAL_EXPIRED, EventType.CREDENTIAL_INVALIDATED);
    assertThat(memory.events()).allSatisfy(event -> assertThat(event.identity()).isEqualTo(Events.IDENTITY));
    assertThat(memory.events()).extracting(AuditEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    CredentialAuditEvent failed = (CredentialAuditEvent) memory.events(EventType.CREDENTIAL_REFRESH_FAILED).get(0);
    assertThat(failed.errorMessage()).isEqualTo("refresh_token=**** rejected");
    assertThat(memory.jsonLines()).noneMatch(line -> line.contains(CANARY));
  }

  @Test
  void everySinkTogetherKeepsCanaryOut(@TempDir Path folder) throws Exception {
    InMemoryAuditSink memory = new InMemoryAuditSink();
    List<AuditEvent> alerts = new ArrayList<>();
    Path file = folder.resolve("audit.jsonl");
    AuditSink fileSink = JsonLinesAuditSink.builder(file)
        .hashChain(SecretValue.of("chain-" + CANARY)).build();
    AsyncAuditSink async = AsyncAuditSink.builder(AuditSinks.fanOut(fileSink, AuditSinks.slf4j()))
        .stamper(stamper).build();
    AuditSink all = AuditSinks.fanOut(memory, AuditSinks.alerts(alerts::add), async);

    Events.everyType(stamper).forEach(all::write);
    all.close();

    assertThat(memory.jsonLines()).hasSize(Events.everyType(Events.stamper()).size());
    assertThat(alerts).hasSize(3);
    String content = Files.readString(file);
    assertThat(content.lines().count()).isEqualTo(memory.events().size());
    assertThat(content).doesNotContain(CANARY);
    assertThat(memory.jsonLines()).noneMatch(line -> line.contains(CANARY));
    assertThat(logs.messagesOf("latchkey.audit")).hasSize(memory.events().size());
  }
}
