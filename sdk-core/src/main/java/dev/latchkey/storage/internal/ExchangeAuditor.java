package dev.latchkey.storage.internal;

import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.StorageException;
import java.time.Duration;

/**
 * Turns each HTTP exchange of one attempt of a client call into a {@code storage.request} audit
 * event, and writes one for an attempt that failed before any exchange (for example when no valid
 * credential could be had). Used by one thread at a time.
 */
final class ExchangeAuditor implements ExchangeListener {

  private final DefaultStorageClient client;
  private final DefaultStorageClient.Operation operation;
  private final String policyRule;
  private final long startNanos = System.nanoTime();
  private int exchanges;

  /** Creates the auditor of one attempt; {@code policyRule} is the rule that allowed it, or {@code null}. */
  ExchangeAuditor(DefaultStorageClient client, DefaultStorageClient.Operation operation, String policyRule) {
    this.client = client;
    this.operation = operation;
    this.policyRule = policyRule;
  }

  @Override
  public void onExchange(Exchange exchange) {
    exchanges++;
    boolean success = exchange.statusCode() >= 200 && exchange.statusCode() < 400;
    client.write(event()
        .request(exchange.method(), exchange.url())
        .response(exchange.statusCode(), exchange.errorCode(), exchange.requestId())
        .outcome(success ? EventOutcome.SUCCESS : EventOutcome.FAILURE)
        .bytes(exchange.bytesSent(), exchange.bytesReceived())
        .duration(exchange.duration())
        .credential(exchange.credentialId(), exchange.credentialProvider())
        .build());
  }

  /** Writes an event for a failure that happened before any HTTP exchange of this attempt. */
  void recordFailureWithoutExchange(RuntimeException failure) {
    if (exchanges > 0) {
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
