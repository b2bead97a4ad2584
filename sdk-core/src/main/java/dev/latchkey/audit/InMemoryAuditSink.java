package dev.latchkey.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every event in memory, in the order written, for tests. Unbounded, so not for production.
 * Thread-safe.
 */
public final class InMemoryAuditSink implements AuditSink {

  private final List<AuditEvent> events = new ArrayList<>();

  @Override
  public synchronized void write(AuditEvent event) {
    events.add(event);
  }

  /** Returns a copy of the events written so far. */
  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  /** Returns a copy of the events of one type written so far. */
  public synchronized List<AuditEvent> events(EventType type) {
    return events.stream().filter(event -> event.type() == type).toList();
  }

  /** Returns every event as its JSON line, for searching the output a test produced. */
  public synchronized List<String> jsonLines() {
    return events.stream().map(AuditJson::toJson).toList();
  }

  public synchronized void clear() {
    events.clear();
  }
}
