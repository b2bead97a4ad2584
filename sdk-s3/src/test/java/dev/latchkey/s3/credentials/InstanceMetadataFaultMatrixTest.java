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
import java.util.concurrent.ConcurrentHashMap;
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
 * Each fault of {@link Fault}, and a few bodies only IMDS can get wrong, injected into one of the
 * three IMDSv2 requests of {@link InstanceMetadataCredentialsProvider}, with the outcome it must
 * have: keys after a retry with backoff, "not configured", or a typed error whose retryability is
 * stated. A {@link CredentialCache} above the provider must keep serving the keys it cached through
 * every fault.
 *
 * <p>No real IMDS runs outside EC2 and no proxy can sit in front of a link-local service, so a
 * MockWebServer plays IMDS and responds with {@link FaultInjectingProxy#faultyResponse}.
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

  private final MockWebServer server = new MockWebServer();
  private final FaultyImds imds = new FaultyImds();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(imds);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(fault(Fault.status(500)), Step.CREDENTIALS, 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.status(503)), Step.TOKEN, 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(1))), Step.ROLE, 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.tooManyRequests(null)), Step.CREDENTIALS, 1, Outcome.KEYS, ""),
        Arguments.of(InjectedResponse.UNAVAILABLE_UNTIL_DATE, Step.TOKEN, 1, Outcome.KEYS, ""),
        Arguments.of(InjectedResponse.UNAVAILABLE_WITH_NEGATIVE_DELAY, Step.CREDENTIALS, 1, Outcome.KEYS, ""),
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
        Arguments.of(InjectedResponse.CUT_OFF_JSON, Step.CREDENTIALS, 1, Outcome.FATAL, "not valid JSON at line 1"),
        Arguments.of(InjectedResponse.TOKEN_WITH_LINE_BREAK, Step.TOKEN, 1, Outcome.FATAL, "not visible ASCII text"),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), Step.CREDENTIALS, 1,
            Outcome.FATAL, "larger than 65536 bytes"),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), Step.TOKEN, 1, Outcome.FATAL, "larger than 65536 bytes"),
        Arguments.of(fault(Fault.wrongContentType()), Step.CREDENTIALS, 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.duplicateHeaders()), Step.TOKEN, 1, Outcome.KEYS, ""),
        Arguments.of(fault(Fault.duplicateHeaders()), Step.CREDENTIALS, 1, Outcome.KEYS, ""));
  }

  @ParameterizedTest(name = "{0} on {1} x {2}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(InjectedResponse response, Step step, int times,
      Outcome outcome, String messageFragment) {
    imds.inject(step, response, times);

    Throwable thrown = catchThrowable(provider()::fetch);

    switch (outcome) {
      case KEYS -> assertThat(thrown).as("failure").isNull();
      case NOT_CONFIGURED -> {
        assertThat(thrown).isInstanceOf(CredentialNotConfiguredException.class);
        assertThat(thrown.getMessage()).contains(messageFragment);
      }
      case RETRYABLE, FATAL -> {
        assertThat(thrown).as("typed failure").isInstanceOf(CredentialException.class)
            .isNotInstanceOf(CredentialNotConfiguredException.class);
        assertThat(((CredentialException) thrown).isRetryable()).as("retryable: " + thrown.getMessage())
            .isEqualTo(outcome == Outcome.RETRYABLE);
        assertThat(thrown.getMessage()).contains(messageFragment);
      }
    }
    assertThat(imds.injected()).as("faults injected").isEqualTo(times);
    assertThat(sleeps).as("waits before retries")
        .isEqualTo(response.retriedByStatus() ? retryWaits(times, response.retryAfter()) : List.of());
    assertThat(String.valueOf(thrown)).as("failure text").doesNotContain(SESSION_TOKEN, "matrix-imds-secret");
    assertThat(catchThrowable(provider()::fetch)).as("failure of the fetch after the faults").isNull();
  }

  static Stream<Arguments> failures() {
    return faults().filter(row -> row.get()[3] != Outcome.KEYS);
  }

  @ParameterizedTest(name = "{0} on {1} x {2}")
  @MethodSource("failures")
  void cacheServesHeldKeysThroughFault(InjectedResponse response, Step step, int times,
      Outcome outcome, String messageFragment) {
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
    imds.inject(step, response, times);

    AwsCredentials served = cache.current();
    cache.close();

    assertThat(imds.injected()).as("faults injected").isEqualTo(times);
    assertThat(served).as("held keys served").isSameAs(held);
    assertThat(events).extracting(CredentialEvent::type)
        .containsExactly(CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESH_FAILED);
    assertThat(events.get(1).failureCause()).get().isInstanceOf(CredentialException.class);
  }

  @Test
  void tricklingBodyHitsCallTimeout() {
    imds.inject(Step.CREDENTIALS, InjectedResponse.TRICKLING_DOCUMENT, 1);
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
  void refusedConnectionIsNotConfigured() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
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

  /** What a call through faults must end in. */
  enum Outcome {
    KEYS,
    NOT_CONFIGURED,
    RETRYABLE,
    FATAL
  }

  /**
   * A response in place of the one IMDS sends, built from the normal response of a step.
   *
   * @param retriedByStatus whether the provider retries it for its status, 429 or 5xx
   * @param retryAfter the valid delay its {@code Retry-After} header requests, or {@code null}
   */
  record InjectedResponse(String name, boolean retriedByStatus, Duration retryAfter,
      Function<MockResponse.Builder, MockResponse> build) {

    /** The credential document cut in half, with a Content-Length that matches, so only JSON parsing fails. */
    static final InjectedResponse CUT_OFF_JSON = new InjectedResponse("cut-off JSON", false, null, normal ->
        new MockResponse.Builder().code(200).body(DOCUMENT.substring(0, DOCUMENT.length() / 2)).build());

    /** A session token with a line break, which OkHttp rejects as a header value. */
    static final InjectedResponse TOKEN_WITH_LINE_BREAK = new InjectedResponse("token with a line break", false, null,
        normal -> new MockResponse.Builder().code(200).body("AQAE\nmatrix").build());

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

  /** Plays IMDSv2, and responds to the next requests of a step with the injected responses first. */
  private static final class FaultyImds extends Dispatcher {
    private final Map<String, Queue<InjectedResponse>> scripts = new ConcurrentHashMap<>();
    private final AtomicInteger injected = new AtomicInteger();

    void inject(Step step, InjectedResponse response, int times) {
      Queue<InjectedResponse> script = scripts.computeIfAbsent(step.path, path -> new ArrayDeque<>());
      synchronized (script) {
        for (int i = 0; i < times; i++) {
          script.add(response);
        }
      }
    }

    int injected() {
      return injected.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Step step = Stream.of(Step.values()).filter(s -> s.path.equals(request.getUrl().encodedPath()))
          .findFirst().orElse(null);
      if (step == null || !hasExpectedHeader(step, request)) {
        return new MockResponse.Builder().code(step == null ? 404 : 401).build();
      }
      Queue<InjectedResponse> script = scripts.getOrDefault(step.path, new ArrayDeque<>());
      InjectedResponse response;
      synchronized (script) {
        response = script.poll();
      }
      if (response == null) {
        return step.normalResponse().build();
      }
      injected.incrementAndGet();
      return response.build().apply(step.normalResponse());
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
