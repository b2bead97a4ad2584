package dev.latchkey.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockResponse;

/**
 * A response that a MockWebServer dispatcher sends in place of its normal one, for fault matrices of
 * endpoints that no {@link FaultInjectingProxy} can sit in front of, such as an instance metadata
 * service. {@link ResponseScript} queues them.
 *
 * @param name the name test reports show for the row
 * @param retriedByStatus whether a client retries it for its status, 429 or 5xx
 * @param retryAfter the valid delay its {@code Retry-After} header requests, or {@code null} when it
 *     has none or an invalid one
 * @param response builds the response from the dispatcher's normal response
 */
public record InjectedResponse(String name, boolean retriedByStatus, Duration retryAfter,
    Function<MockResponse.Builder, MockResponse> response) {

  public InjectedResponse {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(response, "response");
  }

  /**
   * Returns the response that {@link FaultInjectingProxy#faultyResponse} builds for {@code fault}.
   * Only a 429 or 5xx status counts as retried by status, so a {@code Fault.status(404)} does not.
   */
  public static InjectedResponse of(Fault fault) {
    boolean retriedByStatus = fault.kind() == Fault.Kind.TOO_MANY_REQUESTS
        || (fault.kind() == Fault.Kind.STATUS && (fault.status() == 429 || fault.status() >= 500));
    Duration retryAfter = fault.kind() == Fault.Kind.TOO_MANY_REQUESTS ? fault.delay() : null;
    return new InjectedResponse(fault.toString(), retriedByStatus, retryAfter,
        normal -> FaultInjectingProxy.faultyResponse(fault, () -> normal));
  }

  /** Returns a response that a client does not retry for its status, such as a 200 with a bad body. */
  public static InjectedResponse of(String name, Function<MockResponse.Builder, MockResponse> response) {
    return new InjectedResponse(name, false, null, response);
  }

  /**
   * Returns an error status with a {@code Retry-After} header.
   *
   * @param status 429 or a 5xx status
   * @param retryAfter the header value, such as {@code 3}, an HTTP date or an invalid value
   * @param validDelay the delay the header requests from the client's clock, or {@code null} when
   *     the value is invalid
   */
  public static InjectedResponse retryAfter(int status, String retryAfter, Duration validDelay) {
    return new InjectedResponse(status + " with Retry-After: " + retryAfter, true, validDelay,
        normal -> new MockResponse.Builder().code(status).setHeader("Retry-After", retryAfter).build());
  }

  /**
   * Returns the normal response with its body replaced by the first half of {@code body}, so the
   * length matches and only parsing the body can fail.
   */
  public static InjectedResponse cutOffBody(String body) {
    return of("cut-off body", normal -> normal.body(body.substring(0, body.length() / 2)).build());
  }

  /**
   * Returns the normal response sent one byte every 50 ms, so each byte arrives well within a read
   * timeout of a second or more.
   */
  public static InjectedResponse trickling() {
    return of("trickling body", normal -> normal.throttleBody(1, 50, TimeUnit.MILLISECONDS).build());
  }

  /** Builds the response from the dispatcher's normal response. */
  public MockResponse respond(MockResponse.Builder normal) {
    return response.apply(normal);
  }

  @Override
  public String toString() {
    return name;
  }
}
