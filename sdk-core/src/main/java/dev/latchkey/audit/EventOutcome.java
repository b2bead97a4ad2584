package dev.latchkey.audit;

/** The result of an audited operation, written as the Elastic Common Schema field {@code event.outcome}. */
public enum EventOutcome {
  SUCCESS("success"),
  FAILURE("failure"),
  UNKNOWN("unknown");

  private final String value;

  EventOutcome(String value) {
    this.value = value;
  }

  /** Returns the value written to JSON: {@code success}, {@code failure} or {@code unknown}. */
  public String value() {
    return value;
  }
}
