package dev.latchkey.s3.credentials;

import static dev.latchkey.s3.credentials.MetadataEndpointMatrix.fault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault}, and a few bodies only a container endpoint can get wrong, injected
 * into the credential request of {@link ContainerCredentialsProvider}, with the outcome it must have:
 * keys after a retry with backoff, or a typed error whose retryability is stated. A {@link
 * CredentialCache} above the provider must keep serving the keys it cached through every fault.
 *
 * <p>No ECS agent or EKS Pod Identity agent runs here, and the provider sends plain HTTP to a
 * link-local or loopback address only, so a MockWebServer plays the endpoint and responds with the
 * {@link InjectedResponse}s of a {@link ResponseScript}. The rows and checks shared with the IMDS
 * matrix are in {@link MetadataEndpointMatrix}, and those shared with every credential matrix in
 * {@link FaultMatrix}.
 */
class ContainerCredentialsFaultMatrixTest {

  private static final String RELATIVE_URI = "/v2/credentials/matrix-task";
  private static final String AUTHORIZATION = "matrix-container-authorization-token";
  private static final String DOCUMENT = "{\"AccessKeyId\":\"ASIACONTAINERMATRIX\",\"Expiration\":\"2026-03-01T11:00:00Z\","
      + "\"RoleArn\":\"arn:aws:iam::123456789012:role/matrix-task\",\"SecretAccessKey\":\"matrix-container-secret\","
      + "\"Token\":\"matrix-container-session\"}";

  @RegisterExtension
  final MetadataEndpointMatrix matrix = new MetadataEndpointMatrix(FaultyEndpoint::new);

  static Stream<Row> faults() {
    return Stream.of(
        MetadataEndpointMatrix.ERROR_500_ONCE,
        MetadataEndpointMatrix.UNAVAILABLE_ONCE,
        MetadataEndpointMatrix.THROTTLED_FOR_SECOND_ONCE,
        MetadataEndpointMatrix.THROTTLED_ONCE,
        MetadataEndpointMatrix.UNAVAILABLE_UNTIL_DATE_ONCE,
        MetadataEndpointMatrix.UNAVAILABLE_WITH_NEGATIVE_DELAY_ONCE,
        MetadataEndpointMatrix.UNAVAILABLE_ALWAYS,
        MetadataEndpointMatrix.ERROR_500_ALWAYS,
        MetadataEndpointMatrix.THROTTLED_FOR_30_SECONDS_ALWAYS,
        new Row(fault(Fault.connectionReset()), 1, Outcome.RETRYABLE, "failed: unexpected end of stream"),
        new Row(fault(Fault.truncatedBody()), 1, Outcome.RETRYABLE, "unexpected end of stream"),
        new Row(fault(Fault.slowHeaders(Duration.ofSeconds(3))), 1, Outcome.RETRYABLE, "timed out"),
        new Row(fault(Fault.slowBody(Duration.ofSeconds(30))), 1, Outcome.RETRYABLE, "timed out"),
        MetadataEndpointMatrix.MALFORMED_JSON,
        MetadataEndpointMatrix.cutOffJson(DOCUMENT),
        MetadataEndpointMatrix.OVERSIZED_BODY,
        MetadataEndpointMatrix.WRONG_CONTENT_TYPE,
        MetadataEndpointMatrix.DUPLICATE_HEADERS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Row row) {
    matrix.assertFaultOutcome(RELATIVE_URI, row, this::provider,
        AUTHORIZATION, "matrix-container-secret", "matrix-container-session");
  }

  static Stream<Row> failures() {
    return faults().filter(row -> row.outcome() != Outcome.SUCCEEDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void cacheServesHeldKeysThroughFault(Row row) {
    matrix.assertCacheServesHeld(RELATIVE_URI, row, provider());
  }

  @Test
  void tricklingBodyHitsCallTimeout() {
    ContainerCredentialsProvider provider = builder()
        .timeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(500))
        .build();

    matrix.assertTricklingBodyHitsCallTimeout(RELATIVE_URI, provider, "timed out");
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
    assertThat(matrix.sleeps()).as("waits before retries").isEmpty();
  }

  private ContainerCredentialsProvider provider() {
    return builder().build();
  }

  private ContainerCredentialsProvider.Builder builder() {
    return ContainerCredentialsProvider.builder()
        .environment(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_URI,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTHORIZATION))
        .relativeBase(matrix.baseUri())
        .timeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofMillis(2500))
        .retryBackoff(MetadataEndpointMatrix.BACKOFF)
        .maxRetryDelay(MetadataEndpointMatrix.MAX_RETRY_DELAY)
        .sleeper(matrix.sleeps()::add)
        .clock(FakeClock.at(MetadataEndpointMatrix.START))
        .httpClient(FaultMatrix.clientWithoutIdleConnections());
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
