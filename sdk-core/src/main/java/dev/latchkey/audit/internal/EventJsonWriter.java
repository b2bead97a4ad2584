package dev.latchkey.audit.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.latchkey.audit.AccessAuditEvent;
import dev.latchkey.audit.AuditDroppedEvent;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.CredentialAuditEvent;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Writes audit events as flat JSON objects whose keys are dotted field names of the Elastic Common
 * Schema ({@code event.action}, {@code http.response.status_code}) or of the {@code latchkey.}
 * namespace. Fields whose value is {@code null} are left out. The field list is documented in {@code
 * docs/audit-events.md}; changing it means changing {@link #SCHEMA_VERSION}.
 */
public final class EventJsonWriter {

  /** The version of the audit event schema, written as {@code latchkey.schema_version}. */
  public static final int SCHEMA_VERSION = 1;

  /** The Elastic Common Schema version whose field names the schema uses. */
  public static final String ECS_VERSION = "8.11.0";

  private EventJsonWriter() {}

  /** Writes one event as a complete JSON object. */
  public static void write(AuditEvent event, JsonGenerator json) throws IOException {
    json.writeStartObject();
    writeFields(event, json);
    json.writeEndObject();
  }

  /** Writes the fields of one event into an object the caller has started and will end. */
  public static void writeFields(AuditEvent event, JsonGenerator json) throws IOException {
    writeCommon(event, json);
    if (event instanceof CredentialAuditEvent credential) {
      writeCredential(credential, json);
    } else if (event instanceof AccessAuditEvent access) {
      writeAccess(access, json);
    } else if (event instanceof StorageRequestEvent request) {
      writeStorageRequest(request, json);
    } else if (event instanceof AuditDroppedEvent dropped) {
      writeDropped(dropped, json);
    }
  }

  private static void writeCommon(AuditEvent event, JsonGenerator json) throws IOException {
    json.writeStringField("@timestamp", TimestampFormat.format(event.time()));
    json.writeStringField("ecs.version", ECS_VERSION);
    json.writeNumberField("latchkey.schema_version", SCHEMA_VERSION);
    json.writeStringField("event.id", event.id());
    json.writeNumberField("event.sequence", event.sequence());
    json.writeStringField("event.kind", "event");
    json.writeStringField("event.dataset", "latchkey.audit");
    json.writeStringField("event.action", event.type().action());
    json.writeStringField("event.outcome", event.outcome().value());
    writeIdentity(event.identity(), json);
  }

  private static void writeIdentity(WorkloadIdentity identity, JsonGenerator json) throws IOException {
    if (identity == null) {
      return;
    }
    json.writeStringField("user.name", identity.name());
    if (identity.attributes().isEmpty()) {
      return;
    }
    json.writeObjectFieldStart("latchkey.identity.attributes");
    for (Map.Entry<String, String> attribute : identity.attributes().entrySet()) {
      json.writeStringField(attribute.getKey(), attribute.getValue());
    }
    json.writeEndObject();
  }

  private static void writeCredential(CredentialAuditEvent event, JsonGenerator json) throws IOException {
    json.writeStringField("latchkey.credential.provider", event.provider());
    writeOptional(json, "latchkey.credential.id", event.credentialId());
    writeOptional(json, "latchkey.credential.type", event.credentialType());
    writeOptional(json, "latchkey.credential.expires_at", event.expiresAt());
    writeOptional(json, "error.type", event.errorType());
    writeOptional(json, "error.message", event.errorMessage());
  }

  private static void writeAccess(AccessAuditEvent event, JsonGenerator json) throws IOException {
    json.writeStringField("latchkey.action", event.action());
    json.writeStringField("latchkey.resource", event.resource());
    writeOptional(json, "rule.name", event.rule());
    json.writeStringField("event.reason", event.reason());
  }

  private static void writeStorageRequest(StorageRequestEvent event, JsonGenerator json) throws IOException {
    json.writeStringField("latchkey.action", event.action());
    json.writeStringField("latchkey.resource", event.resource());
    json.writeStringField("http.request.method", event.method());
    writeOptional(json, "url.original", event.url());
    if (event.statusCode() > 0) {
      json.writeNumberField("http.response.status_code", event.statusCode());
    }
    writeOptional(json, "error.code", event.errorCode());
    writeOptional(json, "http.request.id", event.requestId());
    json.writeNumberField("http.request.body.bytes", event.bytesSent());
    json.writeNumberField("http.response.body.bytes", event.bytesReceived());
    json.writeNumberField("event.duration", event.duration().toNanos());
    writeOptional(json, "latchkey.credential.id", event.credentialId());
    writeOptional(json, "latchkey.credential.provider", event.credentialProvider());
    writeOptional(json, "rule.name", event.policyRule());
    writeOptional(json, "error.message", event.errorMessage());
  }

  private static void writeDropped(AuditDroppedEvent event, JsonGenerator json) throws IOException {
    json.writeStringField("latchkey.audit.sink", event.sink());
    json.writeNumberField("latchkey.audit.dropped", event.dropped());
    json.writeNumberField("latchkey.audit.dropped_total", event.droppedTotal());
  }

  private static void writeOptional(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }

  private static void writeOptional(JsonGenerator json, String name, Instant value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value.toString());
    }
  }
}
