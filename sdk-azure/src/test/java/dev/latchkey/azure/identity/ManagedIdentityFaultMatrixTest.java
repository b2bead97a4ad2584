package dev.latchkey.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.azure.testing.ImdsDispatcher;
import dev.latchkey.azure.testing.RecordingSleeper;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault} (slow headers as headers held until the retry), and a cut-off JSON
 * body, injected into the token requests of {@link ManagedIdentityCredentials} for both endpoints,
 * the VM Instance Metadata Service ({@code Metadata: true}) and App Service ({@code
 * IDENTITY_ENDPOINT} with {@code X-IDENTITY-HEADER}), with the outcome each must have: a token after retries with backoff, or a typed error whose retryability is stated.
 * A {@link CredentialCache} above the provider must keep serving the token it cached through every
 * failure.
 *
 * <p>Neither endpoint runs outside Azure and no proxy can sit in front of a link-local service, so a
 * MockWebServer plays both and responds with the {@link InjectedResponse}s of a {@link
 * ResponseScript}. The IMDS probe (the token request without {@code Metadata: true}) always gets the
 * 400 that IMDS gives it: faults of the probe are covered in {@code ManagedIdentityClientTest}. Waits
 * between retries go to a {@link RecordingSleeper} that moves a {@link FakeClock}, so the 5-second
 * retry budget costs no real time. The checks shared with the other credential matrices are in
 * {@link FaultMatrix}.
 */
class ManagedIdentityFaultMatrixTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String APP_SERVICE_PATH = "/msi/token";
  private static final String IDENTITY_HEADER = "matrix-identity-header-6d0e";
  private static final String ACCESS_TOKEN = "matrix-access-token-2b7f";
  private static final String TOKEN_BODY = "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":\"3600\","
      + "\"resource\":\"https://storage.azure.com\",\"token_type\":\"Bearer\"}";
  private static final Duration SECOND = Duration.ofSeconds(1);

  /** The token response cut in half, with a Content-Length that matches, so only JSON parsing fails. */
  private static final InjectedResponse CUT_OFF_JSON = InjectedResponse.cutOffBody(TOKEN_BODY);
  /** HTTP 503 with {@code Retry-After} as an HTTP date 3 seconds after the clock's start. */
  private static final InjectedResponse RETRY_AT_DATE =
      InjectedResponse.retryAfter(503, "Sun, 01 Mar 2026 10:00:03 GMT", Duration.ofSeconds(3));
  /** HTTP 503 with {@code Retry-After} as an HTTP date before the clock's start: the backoff stays. */
  private static final InjectedResponse RETRY_AT_PAST_DATE =
      InjectedResponse.retryAfter(503, "Sun, 01 Mar 2026 09:59:00 GMT", Duration.ZERO);
  /** HTTP 503 with {@code Retry-After} a day after the clock's start: the 5-second budget bounds it. */
  private static final InjectedResponse RETRY_AT_FAR_DATE =
      InjectedResponse.retryAfter(503, "Mon, 02 Mar 2026 10:00:00 GMT", Duration.ofDays(1));

  /** The latch of the running test that opens when the client first waits to retry. */
  private static final AtomicReference<CountDownLatch> FIRST_RETRY = new AtomicReference<>(new CountDownLatch(0));
  private static final Duration MAX_HEADERS_HOLD = Duration.ofSeconds(10);
  /**
   * The token response with its headers held back until the client waits to retry, or at most 10
   * seconds: slow headers that need no real-time margin. With {@code Fault.slowHeaders(3 s)} the
   * row depended on the 3 seconds outlasting the 1-second read timeout, and on the retry being
   * served within 1 second by another server thread while the first one slept, and it waited twice
   * at a load average above 10. Held headers always outlast the read timeout, and the retry gets
   * the token at once, even when the server dispatches it before the first request.
   */
  private static final InjectedResponse HEADERS_HELD_UNTIL_RETRY =
      InjectedResponse.of("headers held until the retry", normal -> {
        awaitFirstRetry();
        return normal.build();
      });

  private final MockWebServer server = new MockWebServer();
  private final ResponseScript script = new ResponseScript();
  private final FakeClock clock = FakeClock.at(START);
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);

  @BeforeEach
  void startServer() throws IOException {
    FIRST_RETRY.set(sleeper.firstSleep());
    server.setDispatcher(new FaultyIdentityEndpoint(script));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    // Frees a server thread that still holds back headers because the client never retried.
    FIRST_RETRY.get().countDown();
    server.close();
  }

  /** The rows: injected response, times in a row, outcome, message fragment, waits before the retries. */
  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(fault(Fault.status(500)), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(fault(Fault.status(503)), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(fault(Fault.tooManyRequests(Duration.ofSeconds(3))), 1, Outcome.SUCCEEDS, "",
            List.of(Duration.ofSeconds(3))),
        Arguments.of(fault(Fault.tooManyRequests(null)), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(RETRY_AT_DATE, 1, Outcome.SUCCEEDS, "", List.of(Duration.ofSeconds(3))),
        Arguments.of(RETRY_AT_PAST_DATE, 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(RETRY_AT_FAR_DATE, 1, Outcome.SUCCEEDS, "", List.of(Duration.ofSeconds(5))),
        Arguments.of(fault(Fault.status(503)), 4, Outcome.RETRYABLE, "HTTP 503",
            List.of(SECOND, Duration.ofSeconds(2), Duration.ofSeconds(2))),
        Arguments.of(fault(Fault.tooManyRequests(null)), 4, Outcome.RETRYABLE, "HTTP 429",
            List.of(SECOND, Duration.ofSeconds(2), Duration.ofSeconds(2))),
        Arguments.of(fault(Fault.connectionReset()), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(fault(Fault.truncatedBody()), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(HEADERS_HELD_UNTIL_RETRY, 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(fault(Fault.slowBody(Duration.ofSeconds(30))), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(InjectedResponse.trickling(), 1, Outcome.SUCCEEDS, "", List.of(SECOND)),
        Arguments.of(fault(Fault.malformedBody()), 1, Outcome.FATAL, "not valid JSON", List.of()),
        Arguments.of(CUT_OFF_JSON, 1, Outcome.FATAL, "not valid JSON", List.of()),
        Arguments.of(fault(Fault.oversizedBody(100L << 20)), 1, Outcome.FATAL, "larger than 65536 bytes", List.of()),
        Arguments.of(fault(Fault.wrongContentType()), 1, Outcome.SUCCEEDS, "", List.of()),
        Arguments.of(fault(Fault.duplicateHeaders()), 1, Outcome.SUCCEEDS, "", List.of()));
  }

  static Stream<Arguments> faults() {
    return Stream.of(Kind.values()).flatMap(kind -> rows().map(row -> prepend(kind, row)));
  }

  static Stream<Arguments> failures() {
    return faults().filter(row -> row.get()[3] != Outcome.SUCCEEDS);
  }

  @ParameterizedTest(name = "{0}: {1} x {2}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Kind kind, InjectedResponse response, int times, Outcome outcome, String messageFragment,
      List<Duration> waits) {
    script.inject(kind.path, response, times);

    Throwable thrown = catchThrowable(provider(kind)::fetch);

    FaultMatrix.assertOutcome(thrown, outcome, messageFragment, CredentialException.class);
    assertThat(script.injected()).as("faults injected").isEqualTo(times);
    assertThat(sleeper.sleeps()).as("waits before retries").isEqualTo(waits);
    assertThat(String.valueOf(thrown)).as("failure text").doesNotContain(IDENTITY_HEADER, ACCESS_TOKEN);
    assertThat(catchThrowable(provider(kind)::fetch)).as("failure of the fetch after the faults").isNull();
  }

  @ParameterizedTest(name = "{0}: {1} x {2}")
  @MethodSource("failures")
  void cacheServesHeldTokenThroughFault(Kind kind, InjectedResponse response, int times, Outcome outcome,
      String messageFragment, List<Duration> waits) {
    FaultMatrix.assertCacheServesHeld(provider(kind), clock, Instant.parse("2026-03-01T10:58:00Z"),
        () -> script.inject(kind.path, response, times));

    assertThat(script.injected()).as("faults injected").isEqualTo(times);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void refusedConnectionHasTypedOutcome(Kind kind) {
    int closedPort = FaultMatrix.closedPort();
    URI closed = URI.create("http://127.0.0.1:" + closedPort + kind.path);
    ManagedIdentityCredentials.Builder builder = builder().imdsEndpoint(closed);
    if (kind == Kind.APP_SERVICE) {
      builder.environment(Map.of("IDENTITY_ENDPOINT", closed.toString(), "IDENTITY_HEADER", IDENTITY_HEADER));
    }

    Throwable thrown = catchThrowable(builder.build()::fetch);

    assertThat(thrown).isInstanceOf(CredentialException.class);
    if (kind == Kind.IMDS) {
      assertThat(thrown).as("IMDS not there").isInstanceOf(CredentialNotConfiguredException.class);
      assertThat(sleeper.sleeps()).as("waits before retries").isEmpty();
    } else {
      assertThat(((CredentialException) thrown).isRetryable()).as("retryable").isTrue();
      assertThat(sleeper.sleeps()).as("waits before retries")
          .containsExactly(SECOND, Duration.ofSeconds(2), Duration.ofSeconds(2));
    }
    assertThat(thrown.getMessage()).contains("127.0.0.1:" + closedPort).doesNotContain(IDENTITY_HEADER);
  }

  private CredentialProvider<AccessToken> provider(Kind kind) {
    ManagedIdentityCredentials.Builder builder = builder();
    if (kind == Kind.APP_SERVICE) {
      builder.environment(Map.of("IDENTITY_ENDPOINT", server.url(APP_SERVICE_PATH).toString(),
          "IDENTITY_HEADER", IDENTITY_HEADER));
    }
    return builder.build();
  }

  private ManagedIdentityCredentials.Builder builder() {
    return ManagedIdentityCredentials.builder()
        .imdsEndpoint(server.url(ImdsDispatcher.TOKEN_PATH).uri())
        .environment(Map.of())
        .clock(clock)
        .sleeper(sleeper)
        .connectTimeout(SECOND)
        .readTimeout(SECOND)
        .callTimeout(Duration.ofMillis(2500))
        .maxRetryDuration(Duration.ofSeconds(5))
        .httpClient(FaultMatrix.clientWithoutIdleConnections());
  }

  private static InjectedResponse fault(Fault fault) {
    return InjectedResponse.of(fault);
  }

  /** Blocks the server thread until the client of the running test first waits to retry. */
  private static void awaitFirstRetry() {
    try {
      FIRST_RETRY.get().await(MAX_HEADERS_HOLD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Arguments prepend(Kind kind, Arguments row) {
    Object[] values = row.get();
    Object[] withKind = new Object[values.length + 1];
    withKind[0] = kind;
    System.arraycopy(values, 0, withKind, 1, values.length);
    return Arguments.of(withKind);
  }

  /** The two managed identity endpoints. */
  enum Kind {
    IMDS(ImdsDispatcher.TOKEN_PATH),
    APP_SERVICE(APP_SERVICE_PATH);

    private final String path;

    Kind(String path) {
      this.path = path;
    }
  }

  /**
   * Plays both endpoints. It responds to the IMDS probe with 400, to a token request with the injected
   * responses first and then a token, and to a request without the expected header with 401.
   */
  private static final class FaultyIdentityEndpoint extends Dispatcher {
    private final ResponseScript script;

    FaultyIdentityEndpoint(ResponseScript script) {
      this.script = script;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      if (ImdsDispatcher.isProbe(request)) {
        return new MockResponse.Builder().code(400)
            .body("{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}")
            .build();
      }
      boolean imds = path.equals(ImdsDispatcher.TOKEN_PATH) && "true".equals(request.getHeaders().get("Metadata"));
      boolean appService = path.equals(APP_SERVICE_PATH)
          && IDENTITY_HEADER.equals(request.getHeaders().get("X-IDENTITY-HEADER"));
      if (!imds && !appService) {
        return new MockResponse.Builder().code(401).body("{\"error\":\"unexpected request\"}").build();
      }
      MockResponse.Builder normal = new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "application/json").body(TOKEN_BODY);
      return script.respond(path, normal);
    }
  }
}
