package dev.latchkey.audit.internal;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.Redactor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts the failures of one sink and logs them: the first ten, then every thousandth, so a sink
 * that fails on every event does not flood the log. Thread-safe.
 */
public final class FailureCounter {

  private static final long LOG_ALL_UP_TO = 10;
  private static final long LOG_EVERY = 1000;

  private final Logger logger;
  private final String sinkName;
  private final AtomicLong failures = new AtomicLong();

  public FailureCounter(Logger logger, String sinkName) {
    this.logger = logger;
    this.sinkName = sinkName;
  }

  /** Counts one failure to record {@code event} and logs it unless rate-limited. */
  public void record(AuditEvent event, Throwable failure) {
    long count = failures.incrementAndGet();
    if (count <= LOG_ALL_UP_TO || count % LOG_EVERY == 0) {
      logger.warn("Audit sink {} failed to record event {} ({}): {}; {} failures so far",
          sinkName, event == null ? "-" : event.id(), event == null ? "-" : event.type().action(),
          describe(failure), count);
    }
  }

  /** Returns the failure's class and redacted message; the stack trace is left out because it repeats. */
  public static String describe(Throwable failure) {
    String message = Redactor.text(failure.getMessage());
    return message == null ? failure.getClass().getName() : failure.getClass().getName() + ": " + message;
  }

  public long count() {
    return failures.get();
  }
}
