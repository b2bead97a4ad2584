package dev.latchkey.audit.internal;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditException;
import dev.latchkey.audit.AuditSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event to several sinks in order. A failing sink does not stop the others; after all
 * have been tried, the first failure is thrown with the later ones suppressed.
 */
public final class FanOutAuditSink implements AuditSink {

  private static final Logger LOG = LoggerFactory.getLogger(FanOutAuditSink.class);

  private final List<AuditSink> sinks;
  private final FailureCounter failures = new FailureCounter(LOG, "fan-out");

  public FanOutAuditSink(List<AuditSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void write(AuditEvent event) {
    RuntimeException first = null;
    for (AuditSink sink : sinks) {
      try {
        sink.write(event);
      } catch (RuntimeException e) {
        first = collect(first, e);
      }
    }
    if (first != null) {
      failures.record(event, first);
      throw first;
    }
  }

  @Override
  public void flush() {
    runOnEach(AuditSink::flush, "Flushing");
  }

  @Override
  public void close() {
    runOnEach(AuditSink::close, "Closing");
  }

  @Override
  public long failureCount() {
    return failures.count();
  }

  private void runOnEach(java.util.function.Consumer<AuditSink> step, String what) {
    RuntimeException first = null;
    for (AuditSink sink : sinks) {
      try {
        step.accept(sink);
      } catch (RuntimeException e) {
        LOG.warn("{} audit sink {} failed: {}", what, sink, FailureCounter.describe(e));
        first = collect(first, e);
      }
    }
    if (first != null) {
      throw new AuditException(what + " audit sinks failed; see the suppressed causes", first, false);
    }
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }
}
