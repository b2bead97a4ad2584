package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
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
 * link-local or loopback address only, so a MockWebServer plays the endpoint and responds with {@link
 * FaultInjectingProxy#faultyResponse}.
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

  private final MockWebServer server = new MockWebServer();
  private final FaultyEndpoint endpoint = new FaultyEndpoint();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(endpoint);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(fault(Fault.status(500)), 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.status(503)), 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(1))), 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.tooManyRequests(null)), 1, Outcome.KEYS, ""),
        Arguments.of(InjectedResponse.UNAVAILABLE_UNTIL_DATE, 1, Outcome.KEYS, ""),
        Arguments.of(InjectedResponse.UNAVAILABLE_WITH_NEGATIVE_DELAY, 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.status(503)), 3, Outcome.RETRYABLE, "HTTP 503"),
        Arguments.of(fault(Fault.status(500)), 3, Outcome.RETRYABLE, "HTTP 500"),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(30))), 3, Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(fault(Fault.connectionReset()), 1, Outcome.RETRYABLE, "failed: unexpected end of stream"),
        Arguments.of(fault(Fault.truncatedBody()), 1, Outcome.RETRYABLE, "unexpected end of stream"),
        Arguments.of(fault(Fault.slowHeaders(Duration.ofSeconds(3))), 1, Outcome.RETRYABLE, "timed out"),
        Arguments.of(fault(Fault.slowBody(Duration.ofSeconds(30))), 1, Outcome.RETRYABLE, "timed out"),
        Arguments.of(fault(Fault.malformedBody()), 1, Outcome.FATAL, "not valid JSON"),
        Arguments.of(InjectedResponse.CUT_OFF_JSON, 1, Outcome.FATAL, "not valid JSON at line 1"),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), 1, Outcome.FATAL, "larger than 65536 bytes"),
        Arguments.of(fault(Fault.wrongContentType()), 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.duplicateHeaders()), 1, Outcome.KEYS, ""));
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(InjectedResponse response, int times, Outcome outcome, String messageFragment) {
    endpoint.inject(response, times);

    Throwable thrown = catchThrowable(provider()::fetch);

    if (outcome == Outcome.KEYS) {
      assertThat(thrown).as("failure").isNull();
    } else {
      assertThat(thrown).as("typed failure").isInstanceOf(CredentialException.class)
          .isNotInstanceOf(CredentialNotConfiguredException.class);
      assertThat(((CredentialException) thrown).isRetryable()).as("retryable: " + thrown.getMessage())
          .isEqualTo(outcome == Outcome.RETRYABLE);
      assertThat(thrown.getMessage()).contains(messageFragment);
    }
    assertThat(endpoint.injected()).as("faults injected").isEqualTo(times);
    assertThat(sleeps).as("waits before retries")
        .isEqualTo(response.retriedByStatus() ? retryWaits(times, response.retryAfter()) : List.of());
    assertThat(String.valueOf(thrown)).as("failure text")
        .doesNotContain(AUTHORIZATION, "matrix-container-secret", "matrix-container-session");
    assertThat(catchThrowable(provider()::fetch)).as("failure of the fetch after the faults").isNull();
  }

  static Stream<Arguments> failures() {
    return faults().filter(row -> row.get()[2] != Outcome.KEYS);
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("failures")
  void cacheServesHeldKeysThroughFault(InjectedResponse response, int times, Outcome outcome, String messageFragment) {
    FakeClock clock = FakeClock.at(START);
    List<CredentialEvent> events = new CopyOnWriteArrayList<>();
    CredentialCache<AwsCredentials> cache = CredentialCache.builder(provider())
        .clock(clock)
        .scheduler((task, delay) -> new CompletableFuture<>())
        .fetchExecutor(Runnable::run)
        .listener(events::add)
        .build();
    AwsCredentials held = cache.current();
    clock.set(Instant.parse("2026-03-01T10:58:00Z"));
    endpoint.inject(response, times);

    AwsCredentials served = cache.current();
    cache.close();

    assertThat(endpoint.injected()).as("faults injected").isEqualTo(times);
    assertThat(served).as("held keys served").isSameAs(held);
    assertThat(events).extracting(CredentialEvent::type)
        .containsExactly(CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESH_FAILED);
    assertThat(events.get(1).failureCause()).get().isInstanceOf(CredentialException.class);
  }

  @Test
  void tricklingBodyHitsCallTimeout() {
    endpoint.inject(InjectedResponse.TRICKLING_DOCUMENT, 1);
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
  void refusedConnectionIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
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
        // No idle connections, so OkHttp cannot quietly resend a request whose reused connection
        // failed, and every injected fault reaches the provider.
        .httpClient(new OkHttpClient.Builder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build());
  }

  /**
   * Returns the waits of 3 attempts when {@code failures} attempts get 429 or 5xx: a backoff of 100
   * ms, then doubling, and no wait after the last attempt. A {@code Retry-After} delay, capped at 2
   * seconds, replaces a shorter backoff.
   */
  private static List<Duration> retryWaits(int failures, Duration retryAfter) {
    return Stream.iterate(BACKOFF, wait -> wait.multipliedBy(2)).limit(Math.min(failures, 2))
        .map(backoff -> {
          if (retryAfter == null) {
            return backoff;
          }
          Duration requested = retryAfter.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : retryAfter;
          return requested.compareTo(backoff) > 0 ? requested : backoff;
        })
        .toList();
  }

  private static InjectedResponse fault(Fault fault) {
    boolean status = fault.kind() == Fault.Kind.STATUS || fault.kind() == Fault.Kind.TOO_MANY_REQUESTS;
    Duration retryAfter = fault.kind() == Fault.Kind.TOO_MANY_REQUESTS ? fault.delay() : null;
    return new InjectedResponse(fault.toString(), status, retryAfter,
        normal -> FaultInjectingProxy.faultyResponse(fault, () -> normal));
  }

  /** What a call through faults must end in. */
  enum Outcome {
    KEYS,
    RETRYABLE,
    FATAL
  }

  /**
   * A response in place of the endpoint's, built from its normal response.
   *
   * @param retriedByStatus whether the provider retries it for its status, 429 or 5xx
   * @param retryAfter the valid delay its {@code Retry-After} header requests, or {@code null}
   */
  record InjectedResponse(String name, boolean retriedByStatus, Duration retryAfter,
      Function<MockResponse.Builder, MockResponse> build) {

    /** The document cut in half, with a Content-Length that matches, so only JSON parsing fails. */
    static final InjectedResponse CUT_OFF_JSON = new InjectedResponse("cut-off JSON", false, null, normal ->
        new MockResponse.Builder().code(200).body(DOCUMENT.substring(0, DOCUMENT.length() / 2)).build());

    /** The document one byte every 50 ms: each byte arrives within the read timeout. */
    static final InjectedResponse TRICKLING_DOCUMENT = new InjectedResponse("trickling document", false, null,
        normal -> normal.throttleBody(1, 50, TimeUnit.MILLISECONDS).build());

    /** HTTP 503 with {@code Retry-After} as an HTTP date 1 second after the provider's clock. */
    static final InjectedResponse UNAVAILABLE_UNTIL_DATE = new InjectedResponse(
        "503 with Retry-After: Sun, 01 Mar 2026 10:00:01 GMT", true, Duration.ofSeconds(1),
        normal -> new MockResponse.Builder().code(503).setHeader("Retry-After", "Sun, 01 Mar 2026 10:00:01 GMT")
            .build());

    /** HTTP 503 with a negative {@code Retry-After}, which is invalid, so the provider keeps its backoff. */
    static final InjectedResponse UNAVAILABLE_WITH_NEGATIVE_DELAY = new InjectedResponse(
        "503 with Retry-After: -3", true, null,
        normal -> new MockResponse.Builder().code(503).setHeader("Retry-After", "-3").build());

    @Override
    public String toString() {
      return name;
    }
  }

  /** Plays the container endpoint, and responds to the next requests with the injected responses first. */
  private static final class FaultyEndpoint extends Dispatcher {
    private final Queue<InjectedResponse> script = new ArrayDeque<>();
    private final AtomicInteger injected = new AtomicInteger();

    synchronized void inject(InjectedResponse response, int times) {
      for (int i = 0; i < times; i++) {
        script.add(response);
      }
    }

    int injected() {
      return injected.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!RELATIVE_URI.equals(request.getUrl().encodedPath())) {
        return new MockResponse.Builder().code(404).build();
      }
      if (!AUTHORIZATION.equals(request.getHeaders().get("Authorization"))) {
        return new MockResponse.Builder().code(401).build();
      }
      InjectedResponse response;
      synchronized (this) {
        response = script.poll();
      }
      MockResponse.Builder normal = new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "application/json").body(DOCUMENT);
      if (response == null) {
        return normal.build();
      }
      injected.incrementAndGet();
      return response.build().apply(normal);
    }
  }
}
