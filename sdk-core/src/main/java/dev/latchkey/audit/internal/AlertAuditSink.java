package dev.latchkey.audit.internal;

import dev.latchkey.audit.AuditAlertListener;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditException;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.EventType;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passes events of the alerting types to an {@link AuditAlertListener} and ignores the others. */
public final class AlertAuditSink implements AuditSink {

  private static final Logger LOG = LoggerFactory.getLogger(AlertAuditSink.class);

  private final AuditAlertListener listener;
  private final Set<EventType> types;
  private final FailureCounter failures = new FailureCounter(LOG, "alerts");

  public AlertAuditSink(AuditAlertListener listener, Set<EventType> types) {
    this.listener = listener;
    this.types = EnumSet.copyOf(types);
  }

  @Override
  public void write(AuditEvent event) {
    if (!types.contains(event.type())) {
      return;
    }
    try {
      listener.onAlert(event);
    } catch (RuntimeException e) {
      failures.record(event, e);
      throw new AuditException("Alert listener failed on audit event " + event.id(), e, false);
    }
  }

  @Override
  public long failureCount() {
    return failures.count();
  }
}
