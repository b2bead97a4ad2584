package dev.latchkey.examples;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * An audit sink that sums what the demo summary reports: requests, credential refreshes, denials by
 * the client-side policy and by the server, bytes, and failed requests. Thread-safe.
 */
final class DemoStats implements AuditSink {

  final LongAdder requests = new LongAdder();
  final LongAdder issued = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder refreshFailures = new LongAdder();
  final LongAdder clientDenials = new LongAdder();
  final LongAdder serverDenials = new LongAdder();
  final LongAdder failedRequests = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder mismatches = new LongAdder();

  @Override
  public void write(AuditEvent event) {
    switch (event.type()) {
      case STORAGE_REQUEST -> count((StorageRequestEvent) event);
      case ACCESS_DENIED -> clientDenials.increment();
      case CREDENTIAL_ISSUED -> issued.increment();
      case CREDENTIAL_REFRESHED -> refreshes.increment();
      case CREDENTIAL_REFRESH_FAILED -> refreshFailures.increment();
      default -> { }
    }
  }

  private void count(StorageRequestEvent event) {
    requests.increment();
    bytesSent.add(event.bytesSent());
    bytesReceived.add(event.bytesReceived());
    if (event.statusCode() == 403) {
      serverDenials.increment();
    } else if (event.statusCode() == 0 || event.statusCode() >= 400) {
      failedRequests.increment();
    }
  }

  /** Returns the one-line summary the demo prints and its test reads. */
  String summary(String backend) {
    return String.format("%s summary: requests=%d refreshes=%d denied_by_policy=%d denied_by_server=%d"
            + " failed=%d bytes_up=%d bytes_down=%d",
        backend, requests.sum(), refreshes.sum(), clientDenials.sum(), serverDenials.sum(), failedRequests.sum(),
        bytesSent.sum(), bytesReceived.sum());
  }
}
