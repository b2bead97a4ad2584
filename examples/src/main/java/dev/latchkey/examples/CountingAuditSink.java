package dev.latchkey.examples;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A custom {@link AuditSink}: counts events by type, as a metrics exporter would. A sink must be
 * thread-safe and quick, because the client calls it on the request thread.
 */
public final class CountingAuditSink implements AuditSink {

  private final Map<EventType, LongAdder> counts = new EnumMap<>(EventType.class);

  public CountingAuditSink() {
    for (EventType type : EventType.values()) {
      counts.put(type, new LongAdder());
    }
  }

  @Override
  public void write(AuditEvent event) {
    counts.get(event.type()).increment();
  }

  /** Returns how many events of this type were written. */
  public long count(EventType type) {
    return counts.get(type).sum();
  }

  /** Returns the non-zero counts, such as {@code access.allowed=3 storage.request=3}. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    counts.forEach((type, count) -> {
      if (count.sum() > 0) {
        text.append(text.length() == 0 ? "" : " ").append(type.action()).append('=').append(count.sum());
      }
    });
    return text.toString();
  }
}
