package dev.latchkey.audit;

import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialListener;
import dev.latchkey.credentials.WorkloadIdentity;
import java.util.Objects;

/**
 * Turns the transitions of a credential cache into {@code credential.*} audit events of one
 * identity. Register it with the cache of that identity's credentials. Each event keeps the time the
 * cache reported, and gets its id and sequence number from the stamper. Thread-safe when the sink is.
 *
 * <p>A sink failure is thrown to the cache, which logs it and carries on.
 */
public final class AuditCredentialListener implements CredentialListener {

  private final WorkloadIdentity identity;
  private final AuditSink sink;
  private final AuditStamper stamper;

  private AuditCredentialListener(WorkloadIdentity identity, AuditSink sink, AuditStamper stamper) {
    this.identity = identity;
    this.sink = sink;
    this.stamper = stamper;
  }

  /** Creates a listener that writes the events of {@code identity} to {@code sink}. */
  public static AuditCredentialListener create(WorkloadIdentity identity, AuditSink sink, AuditStamper stamper) {
    return new AuditCredentialListener(
        Objects.requireNonNull(identity, "identity"),
        Objects.requireNonNull(sink, "sink"),
        Objects.requireNonNull(stamper, "stamper"));
  }

  @Override
  public void onEvent(CredentialEvent event) {
    sink.write(CredentialAuditEvent.from(event, identity, stamper.next(event.time())));
  }
}
