package dev.latchkey.audit;

/**
 * Where audit events go: a log, a file, a queue, a test's memory.
 *
 * <p>{@link #write(AuditEvent)} either records the event or throws; a sink never drops an event
 * without counting it. Each sink counts its own failures ({@link #failureCount()}) and logs them
 * through SLF4J, rate-limited. Implementations are thread-safe unless their documentation states otherwise.
 */
@FunctionalInterface
public interface AuditSink extends AutoCloseable {

  /**
   * Records one event.
   *
   * @throws AuditException if the event could not be recorded; it has then been counted and logged
   */
  void write(AuditEvent event);

  /** Pushes buffered events to their destination. Does nothing by default. */
  default void flush() {}

  /** Returns how many events this sink failed to record since it was created. */
  default long failureCount() {
    return 0;
  }

  /** Flushes and releases the sink's resources. Later writes fail. Does nothing by default. */
  @Override
  default void close() {}

  /**
   * A sink that discards every event, for clients that do not audit. A storage client whose only
   * sinks are this one builds no events at all.
   */
  AuditSink NONE = event -> { };
}
