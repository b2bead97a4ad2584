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
 * Each fault of {@link Fault}, and a few bodies only IMDS can get wrong, injected into one of the
 * three IMDSv2 requests of {@link InstanceMetadataCredentialsProvider}, with the outcome it must
 * have: keys after a retry with backoff, "not configured", or a typed error whose retryability is
 * stated. A {@link CredentialCache} above the provider must keep serving the keys it cached through
 * every fault.
 *
 * <p>No real IMDS runs outside EC2 and no proxy can sit in front of a link-local service, so a
 * MockWebServer plays IMDS and responds with the {@link InjectedResponse}s of a {@link
 * ResponseScript}. The checks shared with the other credential matrices are in {@link FaultMatrix}.
 */
class InstanceMetadataFaultMatrixTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SESSION_TOKEN = "AQAEAmatrix-session-token==";
  private static final String ROLE_NAME = "matrix-role";
  private static final String DOCUMENT = "{\"Code\":\"Success\",\"LastUpdated\":\"2026-03-01T10:00:00Z\","
      + "\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAMATRIXEXAMPLE\",\"SecretAccessKey\":\"matrix-imds-secret\","
      + "\"Token\":\"matrix-imds-session\",\"Expiration\":\"2026-03-01T11:00:00Z\"}";
  private static final Duration BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);
  private static final int MAX_ATTEMPTS = 3;

  /** The credential document cut in half, with a Content-Length that matches, so only JSON parsing fails. */
  private static final InjectedResponse CUT_OFF_JSON = InjectedResponse.cutOffBody(DOCUMENT);
  /** A session token with a line break, which OkHttp rejects as a header value. */
  private static final InjectedResponse TOKEN_WITH_LINE_BREAK = InjectedResponse.of("token with a line break",
      normal -> normal.body("AQAE\nmatrix").build());
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
    server.setDispatcher(new FaultyImds(script));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(fault(Fault.status(500)), Step.CREDENTIALS, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.status(503)), Step.TOKEN, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(1))), Step.ROLE, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.tooManyRequests(null)), Step.CREDENTIALS, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(UNAVAILABLE_UNTIL_DATE, Step.TOKEN, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(UNAVAILABLE_WITH_NEGATIVE_DELAY, Step.CREDENTIALS, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(30))), Step.CREDENTIALS, 3,
            Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(fault(Fault.status(503)), Step.CREDENTIALS, 3, Outcome.RETRYABLE, "HTTP 503"),
        Arguments.of(fault(Fault.status(500)), Step.TOKEN, 3, Outcome.RETRYABLE, "HTTP 500"),
        Arguments.of(fault(Fault.tooManyRequests(null)), Step.ROLE, 3, Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(fault(Fault.connectionReset()), Step.TOKEN, 1, Outcome.NOT_CONFIGURED, "did not respond"),
        Arguments.of(fault(Fault.connectionReset()), Step.CREDENTIALS, 1, Outcome.RETRYABLE, "failed while reading"),
        Arguments.of(fault(Fault.truncatedBody()), Step.TOKEN, 1,
            Outcome.RETRYABLE, "failed while reading a session token"),
        Arguments.of(fault(Fault.truncatedBody()), Step.CREDENTIALS, 1, Outcome.RETRYABLE, "unexpected end of stream"),
        Arguments.of(fault(Fault.slowHeaders(Duration.ofSeconds(3))), Step.TOKEN, 1,
            Outcome.NOT_CONFIGURED, "did not respond"),
        Arguments.of(fault(Fault.slowHeaders(Duration.ofSeconds(3))), Step.CREDENTIALS, 1,
            Outcome.RETRYABLE, "timed out while reading the credentials"),
        Arguments.of(fault(Fault.slowBody(Duration.ofSeconds(30))), Step.TOKEN, 1,
            Outcome.RETRYABLE, "timed out while reading a session token"),
        Arguments.of(fault(Fault.slowBody(Duration.ofSeconds(30))), Step.CREDENTIALS, 1,
            Outcome.RETRYABLE, "timed out while reading the credentials"),
        Arguments.of(fault(Fault.malformedBody()), Step.CREDENTIALS, 1, Outcome.FATAL, "not valid JSON"),
        Arguments.of(fault(Fault.malformedBody()), Step.ROLE, 1, Outcome.FATAL, "not a valid IAM role name"),
        Arguments.of(CUT_OFF_JSON, Step.CREDENTIALS, 1, Outcome.FATAL, "not valid JSON at line 1"),
        Arguments.of(TOKEN_WITH_LINE_BREAK, Step.TOKEN, 1, Outcome.FATAL, "not visible ASCII text"),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), Step.CREDENTIALS, 1,
            Outcome.FATAL, "larger than 65536 bytes"),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), Step.TOKEN, 1, Outcome.FATAL, "larger than 65536 bytes"),
        Arguments.of(fault(Fault.wrongContentType()), Step.CREDENTIALS, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.duplicateHeaders()), Step.TOKEN, 1, Outcome.SUCCEEDS, ""),
        Arguments.of(fault(Fault.duplicateHeaders()), Step.CREDENTIALS, 1, Outcome.SUCCEEDS, ""));
  }

  @ParameterizedTest(name = "{0} on {1} x {2}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(InjectedResponse response, Step step, int times,
      Outcome outcome, String messageFragment) {
    script.inject(step.path, response, times);

    Throwable thrown = catchThrowable(provider()::fetch);

    FaultMatrix.assertOutcome(thrown, outcome, messageFragment, CredentialException.class);
    assertThat(script.injected()).as("faults injected").isEqualTo(times);
    assertThat(sleeps).as("waits before retries").isEqualTo(response.retriedByStatus()
        ? FaultMatrix.expectedWaits(BACKOFF, MAX_RETRY_DELAY, MAX_ATTEMPTS, times, response.retryAfter())
        : List.of());
    assertThat(String.valueOf(thrown)).as("failure text").doesNotContain(SESSION_TOKEN, "matrix-imds-secret");
    assertThat(catchThrowable(provider()::fetch)).as("failure of the fetch after the faults").isNull();
  }

  static Stream<Arguments> failures() {
    return faults().filter(row -> row.get()[3] != Outcome.SUCCEEDS);
  }

  @ParameterizedTest(name = "{0} on {1} x {2}")
  @MethodSource("failures")
  void cacheServesHeldKeysThroughFault(InjectedResponse response, Step step, int times,
      Outcome outcome, String messageFragment) {
    FaultMatrix.assertCacheServesHeld(provider(), FakeClock.at(START), Instant.parse("2026-03-01T10:58:00Z"),
        () -> script.inject(step.path, response, times));

    assertThat(script.injected()).as("faults injected").isEqualTo(times);
  }

  @Test
  void tricklingBodyHitsCallTimeout() {
    script.inject(Step.CREDENTIALS.path, InjectedResponse.trickling(), 1);
    InstanceMetadataCredentialsProvider provider = builder()
        .readTimeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(500))
        .build();

    Throwable thrown = catchThrowable(provider::fetch);

    assertThat(thrown).isInstanceOf(CredentialException.class);
    assertThat(((CredentialException) thrown).isRetryable()).as("retryable").isTrue();
    assertThat(thrown.getMessage()).contains("timed out while reading the credentials");
  }

  @Test
  void refusedConnectionIsNotConfigured() {
    int closedPort = FaultMatrix.closedPort();
    InstanceMetadataCredentialsProvider provider = builder()
        .endpoint(URI.create("http://127.0.0.1:" + closedPort))
        .build();

    Throwable thrown = catchThrowable(provider::fetch);

    assertThat(thrown).isInstanceOf(CredentialNotConfiguredException.class);
    assertThat(thrown.getMessage()).contains("127.0.0.1:" + closedPort, "did not respond");
    assertThat(sleeps).as("waits before retries").isEmpty();
  }

  private InstanceMetadataCredentialsProvider provider() {
    return builder().build();
  }

  private InstanceMetadataCredentialsProvider.Builder builder() {
    return InstanceMetadataCredentialsProvider.builder()
        .endpoint(server.url("/").uri())
        .environment(Map.of())
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(1))
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

  /** The three IMDSv2 requests of one fetch. */
  enum Step {
    TOKEN("/latest/api/token", SESSION_TOKEN),
    ROLE("/latest/meta-data/iam/security-credentials/", ROLE_NAME + "\n"),
    CREDENTIALS("/latest/meta-data/iam/security-credentials/" + ROLE_NAME, DOCUMENT);

    private final String path;
    private final String body;

    Step(String path, String body) {
      this.path = path;
      this.body = body;
    }

    MockResponse.Builder normalResponse() {
      return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/plain").body(body);
    }
  }

  /** Plays IMDSv2, and responds to the next requests of a step with the injected responses first. */
  private static final class FaultyImds extends Dispatcher {
    private final ResponseScript script;

    FaultyImds(ResponseScript script) {
      this.script = script;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Step step = Stream.of(Step.values()).filter(s -> s.path.equals(request.getUrl().encodedPath()))
          .findFirst().orElse(null);
      if (step == null || !hasExpectedHeader(step, request)) {
        return new MockResponse.Builder().code(step == null ? 404 : 401).build();
      }
      return script.respond(step.path, step.normalResponse());
    }

    private static boolean hasExpectedHeader(Step step, RecordedRequest request) {
      if (step == Step.TOKEN) {
        return request.getMethod().equals("PUT")
            && request.getHeaders().get("X-aws-ec2-metadata-token-ttl-seconds") != null;
      }
      return SESSION_TOKEN.equals(request.getHeaders().get("X-aws-ec2-metadata-token"));
    }
  }
}
