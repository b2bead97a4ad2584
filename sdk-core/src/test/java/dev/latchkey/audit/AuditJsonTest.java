package dev.latchkey.audit;

import static dev.latchkey.audit.LogCapture.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.CredentialEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditJsonTest {

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void writesStorageRequestWithEcsFields() throws Exception {
    StorageRequestEvent event = Events.storageRequest(Events.stamper(), 403);

    JsonNode json = mapper.readTree(AuditJson.toJson(event));

    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(json.get("ecs.version").asText()).isEqualTo("8.11.0");
    assertThat(json.get("latchkey.schema_version").asInt()).isEqualTo(AuditJson.SCHEMA_VERSION);
    assertThat(json.get("event.id").asText()).isEqualTo(event.id());
    assertThat(json.get("event.sequence").asLong()).isEqualTo(1);
    assertThat(json.get("event.action").asText()).isEqualTo("storage.request");
    assertThat(json.get("event.outcome").asText()).isEqualTo("failure");
    assertThat(json.get("user.name").asText()).isEqualTo("billing-exporter");
    assertThat(json.get("latchkey.identity.attributes").get("team").asText()).isEqualTo("finance");
    assertThat(json.get("latchkey.action").asText()).isEqualTo("READ");
    assertThat(json.get("latchkey.resource").asText()).isEqualTo("s3://reports/2026/q1.csv");
    assertThat(json.get("http.request.method").asText()).isEqualTo("GET");
    assertThat(json.get("http.response.status_code").asInt()).isEqualTo(403);
    assertThat(json.get("error.code").asText()).isEqualTo("AccessDenied");
    assertThat(json.get("http.request.id").asText()).isEqualTo("REQ123");
    assertThat(json.get("http.response.body.bytes").asLong()).isEqualTo(1024);
    assertThat(json.get("event.duration").asLong()).isEqualTo(12_000_000L);
    assertThat(json.get("latchkey.credential.id").asText()).isEqualTo("ASIAEXAMPLE");
    assertThat(json.get("latchkey.credential.provider").asText()).isEqualTo("sts-assume-role");
    assertThat(json.get("rule.name").asText()).isEqualTo("reports-readers");
    assertThat(json.get("url.original").asText()).endsWith("?X-Amz-Security-Token=****&X-Amz-Signature=****");
  }

  @Test
  void writesCredentialFailureRedacted() throws Exception {
    CredentialAuditEvent event = Events.credential(Events.stamper(), CredentialEvent.Type.REFRESH_FAILED);

    JsonNode json = mapper.readTree(AuditJson.toJson(event));

    assertThat(json.get("event.action").asText()).isEqualTo("credential.refresh_failed");
    assertThat(json.get("event.outcome").asText()).isEqualTo("failure");
    assertThat(json.get("latchkey.credential.provider").asText()).isEqualTo("entra-client-secret");
    assertThat(json.get("latchkey.credential.id").asText()).isEqualTo("sha256:abc123def456");
    assertThat(json.get("latchkey.credential.expires_at").asText()).isEqualTo("2026-03-01T11:00:00Z");
    assertThat(json.get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.get("error.message").asText()).isEqualTo("token endpoint rejected client_secret=****");
  }

  @Test
  void writesAccessDecision() throws Exception {
    JsonNode json = mapper.readTree(AuditJson.toJson(Events.denied(Events.stamper())));

    assertThat(json.get("event.action").asText()).isEqualTo("access.denied");
    assertThat(json.get("event.outcome").asText()).isEqualTo("failure");
    assertThat(json.get("rule.name").asText()).isEqualTo("no-deletes");
    assertThat(json.get("event.reason").asText()).contains("denies DELETE");
  }

  @Test
  void writesDropReportWithoutIdentity() throws Exception {
    JsonNode json = mapper.readTree(AuditJson.toJson(new AuditDroppedEvent(Events.stamper().next(), "q", 2, 5)));

    assertThat(json.get("event.action").asText()).isEqualTo("audit.dropped");
    assertThat(json.get("latchkey.audit.dropped").asLong()).isEqualTo(2);
    assertThat(json.get("latchkey.audit.dropped_total").asLong()).isEqualTo(5);
    assertThat(json.has("user.name")).isFalse();
  }

  @Test
  void everyEventTypeOmitsCanary() {
    List<AuditEvent> events = Events.everyType(Events.stamper());

    assertThat(events).extracting(AuditEvent::type).containsAll(List.of(EventType.values()));
    for (AuditEvent event : events) {
      assertThat(AuditJson.toJson(event)).doesNotContain(CANARY);
      assertThat(event.toString()).doesNotContain(CANARY);
    }
  }

  @Test
  void stamperNumbersEventsInOrder() {
    AuditStamper stamper = Events.stamper();

    AuditStamp first = stamper.next();
    AuditStamp second = stamper.next();

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(first.time()).isEqualTo(Events.T0);
  }

  @Test
  void storageRequestBuilderRejectsMissingFields() {
    assertThatThrownBy(() -> StorageRequestEvent.builder().stamp(Events.stamper().next()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("target(action, resource)");
    assertThatThrownBy(() -> StorageRequestEvent.builder().bytes(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytesSent -1");
  }

  @Test
  void eventTypeFromActionRoundTrips() {
    for (EventType type : EventType.values()) {
      assertThat(EventType.fromAction(type.action())).isEqualTo(type);
    }
    assertThatThrownBy(() -> EventType.fromAction("credential.lost")).hasMessageContaining("credential.lost");
  }
}
