package dev.latchkey.audit;

/**
 * Receives the audit events that need a person's attention: by default {@code access.denied},
 * {@code credential.refresh_failed} and {@code credential.expired}. Called on the thread that wrote
 * the event, so it must be quick; hand slow work (a page, a ticket) to another thread.
 */
@FunctionalInterface
public interface AuditAlertListener {

  void onAlert(AuditEvent event);
}
