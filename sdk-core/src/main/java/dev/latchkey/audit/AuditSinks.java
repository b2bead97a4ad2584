package dev.latchkey.audit;

import dev.latchkey.audit.internal.AlertAuditSink;
import dev.latchkey.audit.internal.FanOutAuditSink;
import dev.latchkey.audit.internal.Slf4jAuditSink;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Factories for the sinks that need no configuration. The JSON Lines file sink and the asynchronous
 * sink have builders of their own: {@link JsonLinesAuditSink#builder(java.nio.file.Path)} and {@link
 * AsyncAuditSink#builder(AuditSink)}.
 */
public final class AuditSinks {

  /** The event types an alert listener receives by default. */
  public static final Set<EventType> ALERT_TYPES = Set.copyOf(EnumSet.of(
      EventType.ACCESS_DENIED, EventType.CREDENTIAL_REFRESH_FAILED, EventType.CREDENTIAL_EXPIRED));

  private AuditSinks() {}

  /**
   * Returns a sink that logs each event as one JSON object at INFO to the SLF4J logger {@code
   * latchkey.audit}. Events are not serialized while that logger is disabled.
   */
  public static AuditSink slf4j() {
    return new Slf4jAuditSink();
  }

  /** Returns a sink that writes every event to each of {@code sinks}, in order. */
  public static AuditSink fanOut(AuditSink... sinks) {
    return fanOut(List.of(sinks));
  }

  /**
   * Returns a sink that writes every event to each of {@code sinks}, in order. A failing sink does
   * not stop the others; the first failure is thrown once all have been tried.
   *
   * @throws IllegalArgumentException if {@code sinks} is empty
   */
  public static AuditSink fanOut(List<AuditSink> sinks) {
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("A fan-out audit sink needs at least one sink; pass AuditSink.NONE for none");
    }
    return new FanOutAuditSink(sinks);
  }

  /** Returns a sink that passes {@code access.denied}, {@code credential.refresh_failed} and {@code credential.expired} events to {@code listener}. */
  public static AuditSink alerts(AuditAlertListener listener) {
    return alerts(listener, ALERT_TYPES);
  }

  /**
   * Returns a sink that passes events of the given types to {@code listener} and ignores others.
   *
   * @throws IllegalArgumentException if {@code types} is empty
   */
  public static AuditSink alerts(AuditAlertListener listener, Set<EventType> types) {
    Objects.requireNonNull(listener, "listener");
    if (types.isEmpty()) {
      throw new IllegalArgumentException("An alert sink needs at least one event type, such as ACCESS_DENIED");
    }
    return new AlertAuditSink(listener, types);
  }
}
