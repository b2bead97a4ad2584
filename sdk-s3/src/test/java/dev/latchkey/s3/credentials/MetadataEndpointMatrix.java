package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultMatrix;
import dev.latchkey.testkit.FaultMatrix.Outcome;
import dev.latchkey.testkit.InjectedResponse;
import dev.latchkey.testkit.ResponseScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The parts that the fault matrices of the EC2 instance metadata service and of the ECS or EKS
 * container endpoint share. These are the MockWebServer that plays the endpoint, the retry settings
 * both providers get, the rows both tables contain, and the checks of one row. Register it with
 * {@code @RegisterExtension}, which starts the server before each test and stops it after.
 */
final class MetadataEndpointMatrix implements BeforeEachCallback, AfterEachCallback {

  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  /** A time inside the refresh window of the credentials both endpoints return, which expire at 11:00. */
  static final Instant REFRESH_AT = Instant.parse("2026-03-01T10:58:00Z");
  static final Duration BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);
  static final int MAX_ATTEMPTS = 3;

  /** HTTP 503 with {@code Retry-After} as an HTTP date 1 second after {@link #START}. */
  static final InjectedResponse UNAVAILABLE_UNTIL_DATE =
      InjectedResponse.retryAfter(503, "Sun, 01 Mar 2026 10:00:01 GMT", Duration.ofSeconds(1));
  /** HTTP 503 with a negative {@code Retry-After}, which is invalid, so the provider keeps its backoff. */
  static final InjectedResponse UNAVAILABLE_WITH_NEGATIVE_DELAY = InjectedResponse.retryAfter(503, "-3", null);

  // Rows in both tables: each retried status once, then the keys.
  static final Row ERROR_500_ONCE = new Row(fault(Fault.status(500)), 1, Outcome.SUCCEEDS, "");
  static final Row UNAVAILABLE_ONCE = new Row(fault(Fault.status(503)), 1, Outcome.SUCCEEDS, "");
  static final Row THROTTLED_FOR_SECOND_ONCE =
      new Row(fault(Fault.tooManyRequests(Duration.ofSeconds(1))), 1, Outcome.SUCCEEDS, "");
  static final Row THROTTLED_ONCE = new Row(fault(Fault.tooManyRequests(null)), 1, Outcome.SUCCEEDS, "");
  static final Row UNAVAILABLE_UNTIL_DATE_ONCE = new Row(UNAVAILABLE_UNTIL_DATE, 1, Outcome.SUCCEEDS, "");
  static final Row UNAVAILABLE_WITH_NEGATIVE_DELAY_ONCE =
      new Row(UNAVAILABLE_WITH_NEGATIVE_DELAY, 1, Outcome.SUCCEEDS, "");

  // Rows in both tables: each retried status on every attempt.
  static final Row UNAVAILABLE_ALWAYS = new Row(fault(Fault.status(503)), 3, Outcome.RETRYABLE, "HTTP 503");
  static final Row ERROR_500_ALWAYS = new Row(fault(Fault.status(500)), 3, Outcome.RETRYABLE, "HTTP 500");
  static final Row THROTTLED_FOR_30_SECONDS_ALWAYS =
      new Row(fault(Fault.tooManyRequests(Duration.ofSeconds(30))), 3, Outcome.RETRYABLE, "HTTP 429");

  // Rows in both tables: bodies and headers of the credential document.
  static final Row MALFORMED_JSON = new Row(fault(Fault.malformedBody()), 1, Outcome.FATAL, "not valid JSON");
  static final Row OVERSIZED_BODY =
      new Row(fault(Fault.oversizedBody(100L << 20)), 1, Outcome.FATAL, "larger than 65536 bytes");
  static final Row WRONG_CONTENT_TYPE = new Row(fault(Fault.wrongContentType()), 1, Outcome.SUCCEEDS, "");
  static final Row DUPLICATE_HEADERS = new Row(fault(Fault.duplicateHeaders()), 1, Outcome.SUCCEEDS, "");

  private final MockWebServer server = new MockWebServer();
  private final ResponseScript script = new ResponseScript();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final Function<ResponseScript, Dispatcher> dispatcher;

  /**
   * One row of a matrix: the response injected, how many requests in a row get it, the outcome of
   * the fetch, and a fragment of the failure message.
   */
  record Row(InjectedResponse response, int times, Outcome outcome, String messageFragment) {
    @Override
    public String toString() {
      return response + " x " + times;
    }
  }

  /** Creates the fixture of an endpoint played by the dispatcher that {@code dispatcher} returns. */
  MetadataEndpointMatrix(Function<ResponseScript, Dispatcher> dispatcher) {
    this.dispatcher = dispatcher;
  }

  static InjectedResponse fault(Fault fault) {
    return InjectedResponse.of(fault);
  }

  /** Returns the row for a document cut in half, with a matching Content-Length, so only JSON parsing fails. */
  static Row cutOffJson(String document) {
    return new Row(InjectedResponse.cutOffBody(document), 1, Outcome.FATAL, "not valid JSON at line 1");
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server.setDispatcher(dispatcher.apply(script));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    server.close();
  }

  URI baseUri() {
    return server.url("/").uri();
  }

  ResponseScript script() {
    return script;
  }

  /** Returns the waits the provider made before retries, which a provider records with {@code sleeps()::add}. */
  List<Duration> sleeps() {
    return sleeps;
  }

  /**
   * Injects the row into requests to {@code path} and checks one fetch of a new provider: its outcome,
   * the faults injected, the waits before retries, a failure text without any of {@code secrets},
   * and a fetch after the faults that succeeds.
   */
  void assertFaultOutcome(String path, Row row, Supplier<CredentialProvider<?>> providers, String... secrets) {
    script.inject(path, row.response(), row.times());

    Throwable thrown = catchThrowable(providers.get()::fetch);

    FaultMatrix.assertOutcome(thrown, row.outcome(), row.messageFragment(), CredentialException.class);
    assertThat(script.injected()).as("faults injected").isEqualTo(row.times());
    assertThat(sleeps).as("waits before retries").isEqualTo(expectedWaits(row));
    assertThat(String.valueOf(thrown)).as("failure text").doesNotContain(secrets);
    assertThat(catchThrowable(providers.get()::fetch)).as("failure of the fetch after the faults").isNull();
  }

  /** Runs a failing row through a credential cache over {@code provider}, which must serve the keys it holds. */
  void assertCacheServesHeld(String path, Row row, CredentialProvider<?> provider) {
    FaultMatrix.assertCacheServesHeld(provider, FakeClock.at(START), REFRESH_AT,
        () -> script.inject(path, row.response(), row.times()));

    assertThat(script.injected()).as("faults injected").isEqualTo(row.times());
  }

  /**
   * Injects into {@code path} a body that trickles in one byte every 50 ms, within any read timeout
   * of a second or more, and checks that the call timeout of {@code provider} ends the fetch with a
   * retryable error and no retry.
   */
  void assertTricklingBodyHitsCallTimeout(String path, CredentialProvider<?> provider, String messageFragment) {
    script.inject(path, InjectedResponse.trickling(), 1);

    Throwable thrown = catchThrowable(provider::fetch);

    assertThat(thrown).isInstanceOf(CredentialException.class);
    assertThat(((CredentialException) thrown).isRetryable()).as("retryable").isTrue();
    assertThat(thrown.getMessage()).contains(messageFragment);
    assertThat(sleeps).as("waits before retries").isEmpty();
  }

  private static List<Duration> expectedWaits(Row row) {
    InjectedResponse response = row.response();
    return response.retriedByStatus()
        ? FaultMatrix.expectedWaits(BACKOFF, MAX_RETRY_DELAY, MAX_ATTEMPTS, row.times(), response.retryAfter())
        : List.of();
  }
}
