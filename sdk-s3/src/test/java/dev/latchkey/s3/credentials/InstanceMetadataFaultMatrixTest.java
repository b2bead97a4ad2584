package dev.latchkey.s3.credentials;

import static dev.latchkey.s3.credentials.MetadataEndpointMatrix.fault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.s3.credentials.MetadataEndpointMatrix.Row;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultMatrix;
import dev.latchkey.testkit.FaultMatrix.Outcome;
import dev.latchkey.testkit.InjectedResponse;
import dev.latchkey.testkit.ResponseScript;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
 * ResponseScript}. The rows and checks shared with the container endpoint matrix are in {@link
 * MetadataEndpointMatrix}, and those shared with every credential matrix in {@link FaultMatrix}.
 */
class InstanceMetadataFaultMatrixTest {

  private static final String SESSION_TOKEN = "AQAEAmatrix-session-token==";
  private static final String ROLE_NAME = "matrix-role";
  private static final String DOCUMENT = "{\"Code\":\"Success\",\"LastUpdated\":\"2026-03-01T10:00:00Z\","
      + "\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAMATRIXEXAMPLE\",\"SecretAccessKey\":\"matrix-imds-secret\","
      + "\"Token\":\"matrix-imds-session\",\"Expiration\":\"2026-03-01T11:00:00Z\"}";

  /** A session token with a line break, which OkHttp rejects as a header value. */
  private static final InjectedResponse TOKEN_WITH_LINE_BREAK = InjectedResponse.of("token with a line break",
      normal -> normal.body("AQAE\nmatrix").build());

  @RegisterExtension
  final MetadataEndpointMatrix matrix = new MetadataEndpointMatrix(FaultyImds::new);

  static Stream<Arguments> faults() {
    return Stream.of(
        on(Step.CREDENTIALS, MetadataEndpointMatrix.ERROR_500_ONCE),
        on(Step.TOKEN, MetadataEndpointMatrix.UNAVAILABLE_ONCE),
        on(Step.ROLE, MetadataEndpointMatrix.THROTTLED_FOR_SECOND_ONCE),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.THROTTLED_ONCE),
        on(Step.TOKEN, MetadataEndpointMatrix.UNAVAILABLE_UNTIL_DATE_ONCE),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.UNAVAILABLE_WITH_NEGATIVE_DELAY_ONCE),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.THROTTLED_FOR_30_SECONDS_ALWAYS),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.UNAVAILABLE_ALWAYS),
        on(Step.TOKEN, MetadataEndpointMatrix.ERROR_500_ALWAYS),
        on(Step.ROLE, new Row(fault(Fault.tooManyRequests(null)), 3, Outcome.RETRYABLE, "HTTP 429")),
        on(Step.TOKEN, new Row(fault(Fault.connectionReset()), 1, Outcome.NOT_CONFIGURED, "did not respond")),
        on(Step.CREDENTIALS, new Row(fault(Fault.connectionReset()), 1, Outcome.RETRYABLE, "failed while reading")),
        on(Step.TOKEN, new Row(fault(Fault.truncatedBody()), 1,
            Outcome.RETRYABLE, "failed while reading a session token")),
        on(Step.CREDENTIALS, new Row(fault(Fault.truncatedBody()), 1, Outcome.RETRYABLE, "unexpected end of stream")),
        on(Step.TOKEN, new Row(fault(Fault.slowHeaders(Duration.ofSeconds(3))), 1,
            Outcome.NOT_CONFIGURED, "did not respond")),
        on(Step.CREDENTIALS, new Row(fault(Fault.slowHeaders(Duration.ofSeconds(3))), 1,
            Outcome.RETRYABLE, "timed out while reading the credentials")),
        on(Step.TOKEN, new Row(fault(Fault.slowBody(Duration.ofSeconds(30))), 1,
            Outcome.RETRYABLE, "timed out while reading a session token")),
        on(Step.CREDENTIALS, new Row(fault(Fault.slowBody(Duration.ofSeconds(30))), 1,
            Outcome.RETRYABLE, "timed out while reading the credentials")),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.MALFORMED_JSON),
        on(Step.ROLE, new Row(fault(Fault.malformedBody()), 1, Outcome.FATAL, "not a valid IAM role name")),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.cutOffJson(DOCUMENT)),
        on(Step.TOKEN, new Row(TOKEN_WITH_LINE_BREAK, 1, Outcome.FATAL, "not visible ASCII text")),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.OVERSIZED_BODY),
        on(Step.TOKEN, MetadataEndpointMatrix.OVERSIZED_BODY),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.WRONG_CONTENT_TYPE),
        on(Step.TOKEN, MetadataEndpointMatrix.DUPLICATE_HEADERS),
        on(Step.CREDENTIALS, MetadataEndpointMatrix.DUPLICATE_HEADERS));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Row row, Step step) {
    matrix.assertFaultOutcome(step.path, row, this::provider, SESSION_TOKEN, "matrix-imds-secret");
  }

  static Stream<Arguments> failures() {
    return faults().filter(arguments -> ((Row) arguments.get()[0]).outcome() != Outcome.SUCCEEDS);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("failures")
  void cacheServesHeldKeysThroughFault(Row row, Step step) {
    matrix.assertCacheServesHeld(step.path, row, provider());
  }

  @Test
  void tricklingBodyHitsCallTimeout() {
    InstanceMetadataCredentialsProvider provider = builder()
        .readTimeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(500))
        .build();

    matrix.assertTricklingBodyHitsCallTimeout(Step.CREDENTIALS.path, provider,
        "timed out while reading the credentials");
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
    assertThat(matrix.sleeps()).as("waits before retries").isEmpty();
  }

  private InstanceMetadataCredentialsProvider provider() {
    return builder().build();
  }

  private InstanceMetadataCredentialsProvider.Builder builder() {
    return InstanceMetadataCredentialsProvider.builder()
        .endpoint(matrix.baseUri())
        .environment(Map.of())
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(2500))
        .retryBackoff(MetadataEndpointMatrix.BACKOFF)
        .maxRetryDelay(MetadataEndpointMatrix.MAX_RETRY_DELAY)
        .sleeper(matrix.sleeps()::add)
        .clock(FakeClock.at(MetadataEndpointMatrix.START))
        .httpClient(FaultMatrix.clientWithoutIdleConnections());
  }

  /** Returns the arguments of a row injected into the requests of {@code step}. */
  private static Arguments on(Step step, Row row) {
    return Arguments.of(row, step);
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
