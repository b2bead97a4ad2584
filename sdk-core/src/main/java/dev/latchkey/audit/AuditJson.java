package dev.latchkey.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.latchkey.audit.internal.EventJsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes audit events in the JSON schema of {@code docs/audit-events.md}: one flat object per event
 * whose keys are dotted Elastic Common Schema field names ({@code @timestamp}, {@code event.action},
 * {@code event.outcome}, {@code http.response.status_code}, {@code url.original}) and fields of the
 * {@code latchkey.} namespace where the schema has none. Thread-safe.
 */
public final class AuditJson {

  /** The version of the schema, written as {@code latchkey.schema_version}. */
  public static final int SCHEMA_VERSION = EventJsonWriter.SCHEMA_VERSION;

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private AuditJson() {}

  /** Returns the event as one line of JSON, without a line break. */
  public static String toJson(AuditEvent event) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      EventJsonWriter.write(event, json);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing an audit event to a string failed", e);
    }
    return out.toString();
  }

  /**
   * Writes the event as one JSON object to a generator the caller owns.
   *
   * @throws IOException if the generator's output fails
   */
  public static void write(AuditEvent event, JsonGenerator json) throws IOException {
    EventJsonWriter.write(event, json);
  }
}
