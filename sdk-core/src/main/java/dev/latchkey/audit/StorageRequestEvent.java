package dev.latchkey.audit;

import dev.latchkey.credentials.WorkloadIdentity;
import java.time.Duration;
import java.util.Objects;

/**
 * One request to a storage service and its response. A call that was retried reports one
 * event per attempt.
 *
 * @param stamp id, time (when the request was sent) and sequence number
 * @param identity the workload that made the request
 * @param action the policy action, such as {@code READ}
 * @param resource the resource, such as {@code s3://reports/2026/q1.csv}
 * @param outcome success for a 2xx or 3xx response, otherwise failure
 * @param method the HTTP method
 * @param url the request URL, redacted by {@link Redactor#url(String)}; or {@code null}
 * @param statusCode the HTTP status, or 0 when no response arrived
 * @param errorCode the service's error code such as {@code NoSuchKey}, or {@code null}
 * @param requestId the service's request id ({@code x-amz-request-id}, {@code x-ms-request-id}), or
 *     {@code null}
 * @param bytesSent body bytes sent
 * @param bytesReceived body bytes received
 * @param duration from sending the request to the response headers, or to the failure
 * @param credentialId the non-secret id of the credential that signed the request, or {@code null}
 * @param credentialProvider the name of that credential's provider, or {@code null}
 * @param policyRule the name of the policy rule that allowed the request, or {@code null}
 * @param errorMessage a failure's message, redacted by {@link Redactor#text(String)}; or {@code null}
 */
public record StorageRequestEvent(
    AuditStamp stamp,
    WorkloadIdentity identity,
    String action,
    String resource,
    EventOutcome outcome,
    String method,
    String url,
    int statusCode,
    String errorCode,
    String requestId,
    long bytesSent,
    long bytesReceived,
    Duration duration,
    String credentialId,
    String credentialProvider,
    String policyRule,
    String errorMessage) implements AuditEvent {

  /**
   * Checks the fields and redacts the URL and the error message.
   *
   * @throws IllegalArgumentException if a byte count, the status or the duration is negative
   */
  public StorageRequestEvent {
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(duration, "duration");
    checkNotNegative("statusCode", statusCode);
    checkNotNegative("bytesSent", bytesSent);
    checkNotNegative("bytesReceived", bytesReceived);
    if (duration.isNegative()) {
      throw new IllegalArgumentException("Invalid duration " + duration + ": it must not be negative");
    }
    url = Redactor.url(url);
    errorMessage = Redactor.text(errorMessage);
  }

  @Override
  public EventType type() {
    return EventType.STORAGE_REQUEST;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void checkNotNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("Invalid " + name + " " + value + ": it must not be negative");
    }
  }

  /**
   * Builder for {@link StorageRequestEvent}; not thread-safe. Stamp, identity, action, resource and
   * method are required. The outcome defaults to success for a status from 200 to 399 and failure
   * otherwise; byte counts default to 0 and the duration to zero.
   */
  public static final class Builder {
    private AuditStamp stamp;
    private WorkloadIdentity identity;
    private String action;
    private String resource;
    private EventOutcome outcome;
    private String method;
    private String url;
    private int statusCode;
    private String errorCode;
    private String requestId;
    private long bytesSent;
    private long bytesReceived;
    private Duration duration = Duration.ZERO;
    private String credentialId;
    private String credentialProvider;
    private String policyRule;
    private String errorMessage;

    private Builder() {}

    public Builder stamp(AuditStamp stamp) {
      this.stamp = Objects.requireNonNull(stamp, "stamp");
      return this;
    }

    public Builder identity(WorkloadIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Sets the policy action and the resource it applies to. */
    public Builder target(String action, String resource) {
      this.action = Objects.requireNonNull(action, "action");
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** Sets the HTTP method and the URL, which the event redacts. */
    public Builder request(String method, String url) {
      this.method = Objects.requireNonNull(method, "method");
      this.url = url;
      return this;
    }

    /** Sets the HTTP status (0 when no response arrived), the service's error code and request id. */
    public Builder response(int statusCode, String errorCode, String requestId) {
      checkNotNegative("statusCode", statusCode);
      this.statusCode = statusCode;
      this.errorCode = errorCode;
      this.requestId = requestId;
      return this;
    }

    /** Sets the outcome, overriding the one derived from the status. */
    public Builder outcome(EventOutcome outcome) {
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      return this;
    }

    /** Sets the body bytes sent and received. */
    public Builder bytes(long sent, long received) {
      checkNotNegative("bytesSent", sent);
      checkNotNegative("bytesReceived", received);
      this.bytesSent = sent;
      this.bytesReceived = received;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /** Sets the non-secret id of the credential that signed the request and its provider's name. */
    public Builder credential(String credentialId, String credentialProvider) {
      this.credentialId = credentialId;
      this.credentialProvider = credentialProvider;
      return this;
    }

    public Builder policyRule(String policyRule) {
      this.policyRule = policyRule;
      return this;
    }

    /** Sets the failure's message; the event redacts it. */
    public Builder errorMessage(String errorMessage) {
      this.errorMessage = errorMessage;
      return this;
    }

    /**
     * Creates the event.
     *
     * @throws IllegalStateException if the stamp, identity, target or request is missing
     */
    public StorageRequestEvent build() {
      if (stamp == null || identity == null || action == null || method == null) {
        throw new IllegalStateException(
            "Incomplete storage request event: set stamp, identity, target(action, resource) and request(method, url)");
      }
      EventOutcome result = outcome != null ? outcome : outcomeOf(statusCode);
      return new StorageRequestEvent(stamp, identity, action, resource, result, method, url, statusCode,
          errorCode, requestId, bytesSent, bytesReceived, duration, credentialId, credentialProvider,
          policyRule, errorMessage);
    }

    private static EventOutcome outcomeOf(int statusCode) {
      return statusCode >= 200 && statusCode < 400 ? EventOutcome.SUCCESS : EventOutcome.FAILURE;
    }
  }
}
