package dev.latchkey.storage.internal;

import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.StorageException;
import java.time.Duration;

/**
 * Turns each HTTP exchange of one attempt of a client call into a {@code storage.request} audit
 * event. It writes one more, with method {@code NONE}, for an attempt that failed without a failed
 * exchange: before any exchange (for example when no valid credential could be had), or after
 * successful ones (for example when the upload stream failed between two parts). Used by one thread
 * at a time.
 */
final class ExchangeAuditor implements ExchangeListener {

  private final DefaultStorageClient client;
  private final DefaultStorageClient.Operation operation;
  private final String policyRule;
  private final long startNanos = System.nanoTime();
  private int failedExchanges;

  /** Creates the auditor of one attempt; {@code policyRule} is the rule that allowed it, or {@code null}. */
  ExchangeAuditor(DefaultStorageClient client, DefaultStorageClient.Operation operation, String policyRule) {
    this.client = client;
    this.operation = operation;
    this.policyRule = policyRule;
  }

  @Override
  public void onExchange(Exchange exchange) {
    boolean success = exchange.statusCode() >= 200 && exchange.statusCode() < 400;
    if (!success) {
      failedExchanges++;
    }
    client.write(event()
        .request(exchange.method(), exchange.url())
        .response(exchange.statusCode(), exchange.errorCode(), exchange.requestId())
        .outcome(success ? EventOutcome.SUCCESS : EventOutcome.FAILURE)
        .bytes(exchange.bytesSent(), exchange.bytesReceived())
        .duration(exchange.duration())
        .credential(exchange.credentialId(), exchange.credentialProvider())
        .build());
  }

  /**
   * Writes an event for a failure of this attempt that no failed exchange reported, so that the
   * audit log shows every failed call even when each of its requests succeeded.
   */
  void recordUnreportedFailure(RuntimeException failure) {
    if (failedExchanges > 0) {
      return;
    }
    int status = failure instanceof StorageException storage ? storage.statusCode() : 0;
    String code = failure instanceof StorageException storage ? storage.errorCode() : null;
    client.write(event()
        .request("NONE", null)
        .response(status, code, null)
        .outcome(EventOutcome.FAILURE)
        .bytes(0, 0)
        .duration(Duration.ofNanos(System.nanoTime() - startNanos))
        .errorMessage(failure.getClass().getSimpleName() + ": " + failure.getMessage())
        .build());
  }

  private StorageRequestEvent.Builder event() {
    return StorageRequestEvent.builder()
        .stamp(client.stamper().next())
        .identity(client.identity())
        .target(operation.action().name(), operation.resource())
        .policyRule(policyRule);
  }
}
