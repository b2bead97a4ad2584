package dev.latchkey.audit.internal;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditException;
import dev.latchkey.audit.AuditJson;
import dev.latchkey.audit.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each event as one JSON object at INFO to the logger {@code latchkey.audit}. */
public final class Slf4jAuditSink implements AuditSink {

  /** The name of the logger that receives audit events. */
  public static final String LOGGER_NAME = "latchkey.audit";

  private static final Logger DIAGNOSTICS = LoggerFactory.getLogger(Slf4jAuditSink.class);

  private final Logger audit = LoggerFactory.getLogger(LOGGER_NAME);
  private final FailureCounter failures = new FailureCounter(DIAGNOSTICS, "slf4j");

  @Override
  public void write(AuditEvent event) {
    if (!audit.isInfoEnabled()) {
      return;
    }
    try {
      audit.info(AuditJson.toJson(event));
    } catch (RuntimeException e) {
      failures.record(event, e);
      throw new AuditException("Logging audit event " + event.id() + " to " + LOGGER_NAME + " failed", e, false);
    }
  }

  @Override
  public long failureCount() {
    return failures.count();
  }
}
