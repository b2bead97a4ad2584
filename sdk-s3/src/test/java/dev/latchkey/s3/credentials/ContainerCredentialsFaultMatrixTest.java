package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault}, and a few bodies only a container endpoint can get wrong, injected
 * into the credential request of {@link ContainerCredentialsProvider}, with the outcome it must have:
 * keys after a retry with backoff, or a typed error whose retryability is stated. A {@link
 * CredentialCache} above the provider must keep serving the keys it cached through every fault.
 *
 * <p>No ECS agent or EKS Pod Identity agent runs here, and the provider sends plain HTTP to a
 * link-local or loopback address only, so a MockWebServer plays the endpoint and responds with the
 * {@link InjectedResponse}s of a {@link ResponseScript}. The checks shared with the other credential
 * matrices are in {@link FaultMatrix}.
 */
class ContainerCredentialsFaultMatrixTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String RELATIVE_URI = "/v2/credentials/matrix-task";
  private static final String AUTHORIZATION = "matrix-container-authorization-token";
  private static final String DOCUMENT = "{\"AccessKeyId\":\"ASIACONTAINERMATRIX\",\"Expiration\":\"2026-03-01T11:00:00Z\","
      + "\"RoleArn\":\"arn:aws:iam::123456789012:role/matrix-task\",\"SecretAccessKey\":\"matrix-container-secret\","
      + "\"Token\":\"matrix-container-session\"}";
  private static final Duration BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);
  private static final int MAX_ATTEMPTS = 3;

  /** The document cut in half, with a Content-Length that matches, so only JSON parsing fails. */
  private static final InjectedResponse CUT_OFF_JSON = InjectedResponse.cutOffBody(DOCUMENT);
  /** HTTP 503 with {@code Retry-After} as an HTTP date 1 second after the provider's clock. */
  private static final InjectedResponse UNAVAILABLE_UNTIL_DATE =
      InjectedResponse.retryAfter(503, "Sun, 01 Mar 2026 10:00:01 GMT", Duration.ofSeconds(1));
  /** HTTP 503 with a negative {@code Retry-After}, which is invalid, so the provider keeps its backoff. */
  private static final InjectedResponse UNAVAILABLE_WITH_NEGATIVE_DELAY = InjectedResponse.retryAfter(503, "-3", null);

  private final MockWebServer server = new MockWebServer();
  private final ResponseScript script = new ResponseScript();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(new FaultyEndpoint(script));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(fault(Fault.status(500)), 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.status(503)), 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(1))), 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.tooManyRequests(null)), 1, Outcome.SUCCEEDS, ""),
        Arguments.of(UNAVAILABLE_UNTIL_DATE, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(UNAVAILABLE_WITH_NEGATIVE_DELAY, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.status(503)), 3, Outcome.RETRYABLE, "HTTP 503"),
        Arguments.of(fault(Fault.status(500)), 3, Outcome.RETRYABLE, "HTTP 500"),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(30))), 3, Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(fault(Fault.connectionReset()), 1, Outcome.RETRYABLE, "failed: unexpected end of stream"),
        Arguments.of(fault(Fault.truncatedBody()), 1, Outcome.RETRYABLE, "unexpected end of stream"),
        Arguments.of(fault(Fault.slowHeaders(Duration.ofSeconds(3))), 1, Outcome.RETRYABLE, "timed out"),
        Arguments.of(fault(Fault.slowBody(Duration.ofSeconds(30))), 1, Outcome.RETRYABLE, "timed out"),
        Arguments.of(fault(Fault.malformedBody()), 1, Outcome.FATAL, "not valid JSON"),
        Arguments.of(CUT_OFF_JSON, 1, Outcome.FATAL, "not valid JSON at line 1"),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), 1, Outcome.FATAL, "larger than 65536 bytes"),
        Arguments.of(fault(Fault.wrongContentType()), 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.duplicateHeaders()), 1, Outcome.SUCCEEDS, ""));
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(InjectedResponse response, int times, Outcome outcome, String messageFragment) {
    script.inject(RELATIVE_URI, response, times);

    Throwable thrown = catchThrowable(provider()::fetch);

    FaultMatrix.assertOutcome(thrown, outcome, messageFragment, CredentialException.class);
    assertThat(script.injected()).as("faults injected").isEqualTo(times);
    assertThat(sleeps).as("waits before retries").isEqualTo(response.retriedByStatus()
        ? FaultMatrix.expectedWaits(BACKOFF, MAX_RETRY_DELAY, MAX_ATTEMPTS, times, response.retryAfter())
        : List.of());
    assertThat(String.valueOf(thrown)).as("failure text")
        .doesNotContain(AUTHORIZATION, "matrix-container-secret", "matrix-container-session");
    assertThat(catchThrowable(provider()::fetch)).as("failure of the fetch after the faults").isNull();
  }

  static Stream<Arguments> failures() {
    return faults().filter(row -> row.get()[2] != Outcome.SUCCEEDS);
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("failures")
  void cacheServesHeldKeysThroughFault(InjectedResponse response, int times, Outcome outcome, String messageFragment) {
    FaultMatrix.assertCacheServesHeld(provider(), FakeClock.at(START), Instant.parse("2026-03-01T10:58:00Z"),
        () -> script.inject(RELATIVE_URI, response, times));

    assertThat(script.injected()).as("faults injected").isEqualTo(times);
  }

  @Test
  void tricklingBodyHitsCallTimeout() {
    script.inject(RELATIVE_URI, InjectedResponse.trickling(), 1);
    ContainerCredentialsProvider provider = builder()
        .timeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(500))
        .build();

    Throwable thrown = catchThrowable(provider::fetch);

    assertThat(thrown).isInstanceOf(CredentialException.class);
    assertThat(((CredentialException) thrown).isRetryable()).as("retryable").isTrue();
    assertThat(thrown.getMessage()).contains("timed out");
    assertThat(sleeps).as("waits before retries").isEmpty();
  }

  @Test
  void refusedConnectionIsRetryable() {
    int closedPort = FaultMatrix.closedPort();
    ContainerCredentialsProvider provider = builder()
        .relativeBase(URI.create("http://127.0.0.1:" + closedPort))
        .build();

    Throwable thrown = catchThrowable(provider::fetch);

    assertThat(thrown).isInstanceOf(CredentialException.class)
        .isNotInstanceOf(CredentialNotConfiguredException.class);
    assertThat(((CredentialException) thrown).isRetryable()).as("retryable").isTrue();
    assertThat(thrown.getMessage()).contains("127.0.0.1:" + closedPort + RELATIVE_URI, "failed");
    assertThat(sleeps).as("waits before retries").isEmpty();
  }

  private ContainerCredentialsProvider provider() {
    return builder().build();
  }

  private ContainerCredentialsProvider.Builder builder() {
    return ContainerCredentialsProvider.builder()
        .environment(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_URI,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTHORIZATION))
        .relativeBase(server.url("/").uri())
        .timeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(2500))
        .retryBackoff(BACKOFF)
        .maxRetryDelay(MAX_RETRY_DELAY)
        .sleeper(sleeps::add)
        .clock(FakeClock.at(START))
        .httpClient(FaultMatrix.clientWithoutIdleConnections());
  }

  private static InjectedResponse fault(Fault fault) {
    return InjectedResponse.of(fault);
  }

  /** Plays the container endpoint, and responds to the next requests with the injected responses first. */
  private static final class FaultyEndpoint extends Dispatcher {
    private final ResponseScript script;

    FaultyEndpoint(ResponseScript script) {
      this.script = script;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!RELATIVE_URI.equals(request.getUrl().encodedPath())) {
        return new MockResponse.Builder().code(404).build();
      }
      if (!AUTHORIZATION.equals(request.getHeaders().get("Authorization"))) {
        return new MockResponse.Builder().code(401).build();
      }
      MockResponse.Builder normal = new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "application/json").body(DOCUMENT);
      return script.respond(RELATIVE_URI, normal);
    }
  }
}
