package dev.latchkey.audit;

/**
 * The kinds of audit event. Each has a stable action name, written as {@code event.action}, and
 * the {@code event.outcome} it reports unless the event sets its own.
 */
public enum EventType {
  /** The first credential of a cache was fetched. */
  CREDENTIAL_ISSUED("credential.issued", EventOutcome.SUCCESS),
  /** A credential replaced an earlier one. */
  CREDENTIAL_REFRESHED("credential.refreshed", EventOutcome.SUCCESS),
  /** Fetching a credential failed; the event carries the error type and redacted message. */
  CREDENTIAL_REFRESH_FAILED("credential.refresh_failed", EventOutcome.FAILURE),
  /** A caller got a credential past its refresh time because refreshing failed. */
  CREDENTIAL_SERVED_STALE("credential.served_stale", EventOutcome.SUCCESS),
  /** The held credential became stale with no replacement, so callers get errors. */
  CREDENTIAL_EXPIRED("credential.expired", EventOutcome.FAILURE),
  /** A caller reported the current credential as rejected, so the next call refreshes it. */
  CREDENTIAL_INVALIDATED("credential.invalidated", EventOutcome.SUCCESS),
  /** The access policy allowed a request. */
  ACCESS_ALLOWED("access.allowed", EventOutcome.SUCCESS),
  /** The access policy denied a request, which was not sent. */
  ACCESS_DENIED("access.denied", EventOutcome.FAILURE),
  /** A request to the storage service completed or failed. */
  STORAGE_REQUEST("storage.request", EventOutcome.UNKNOWN),
  /** An asynchronous sink dropped events because its queue was full. */
  AUDIT_DROPPED("audit.dropped", EventOutcome.FAILURE);

  private final String action;
  private final EventOutcome defaultOutcome;

  EventType(String action, EventOutcome defaultOutcome) {
    this.action = action;
    this.defaultOutcome = defaultOutcome;
  }

  /** Returns the action name, such as {@code credential.issued}. */
  public String action() {
    return action;
  }

  /** Returns the outcome an event of this type reports when it does not set one itself. */
  public EventOutcome defaultOutcome() {
    return defaultOutcome;
  }

  /**
   * Returns the type with this action name.
   *
   * @throws IllegalArgumentException if no type has that name
   */
  public static EventType fromAction(String action) {
    for (EventType type : values()) {
      if (type.action.equals(action)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "Unknown audit event action '" + action + "': expected one such as credential.issued or storage.request");
  }
}
