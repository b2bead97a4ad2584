package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.OidcIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault} injected between the OAuth 2.0 client and a real issuer
 * (mock-oauth2-server through a {@link FaultInjectingProxy}), with the outcome it must have: a token,
 * or a typed {@link TokenEndpointException} whose retryability and message say what went wrong. After
 * every fault the next call, without a fault, must get a token again.
 */
class TokenIssuerFaultMatrixTest {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(2500);

  private static OidcIssuer issuer;
  private static Canary canary;
  private FaultInjectingProxy proxy;

  @BeforeAll
  static void startIssuer() {
    canary = Canary.capture();
    issuer = OidcIssuer.builder().tokenLifetime(Duration.ofMinutes(5)).start();
    TokenEndpoint warmUp = TokenEndpoint.builder().uri(issuer.tokenEndpoint().uri())
        .clientAuthentication(ClientAuthentication.clientSecretPost("matrix-client", SecretValue.of(Canary.CLIENT_SECRET)))
        .build();
    ClientCredentialsProvider.builder().tokenEndpoint(warmUp).scopes("storage").build().fetch();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
    canary.assertNoSecretIn(List.of());
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start();
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(Fault.status(500), Outcome.RETRYABLE, "HTTP 500"),
        Arguments.of(Fault.status(503), Outcome.RETRYABLE, "HTTP 503"),
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(7)), Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(Fault.tooManyRequests(null), Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(Fault.connectionReset(), Outcome.RETRYABLE, "failed"),
        Arguments.of(Fault.truncatedBody(), Outcome.RETRYABLE, "failed"),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(3)), Outcome.RETRYABLE, "timed out"),
        Arguments.of(Fault.slowBody(Duration.ofSeconds(6)), Outcome.RETRYABLE, "timed out"),
        Arguments.of(Fault.malformedBody(), Outcome.FATAL, "not JSON"),
        Arguments.of(Fault.oversizedBody(100L << 20), Outcome.FATAL, "longer than the limit of 1048576 bytes"),
        Arguments.of(Fault.wrongContentType(), Outcome.TOKEN, ""),
        Arguments.of(Fault.duplicateHeaders(), Outcome.TOKEN, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Fault fault, Outcome outcome, String messageFragment) {
    ClientCredentialsProvider provider = provider(proxy.url(issuer.tokenEndpoint().encodedPath()).uri());
    proxy.enqueue(fault);

    if (outcome == Outcome.TOKEN) {
      assertThat(provider.fetch().token().reveal()).isNotBlank();
    } else {
      TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, provider::fetch);
      canary.recordFailure(thrown);
      assertThat(thrown).as("typed failure").isNotNull();
      assertThat(thrown.isRetryable()).as("retryable").isEqualTo(outcome == Outcome.RETRYABLE);
      assertThat(thrown.getMessage()).contains(messageFragment, ":" + proxy.url("/").port() + "/");
    }

    assertThat(provider.fetch().token().reveal()).as("token after the fault").isNotBlank();
    assertThat(proxy.faultCount()).isEqualTo(1);
  }

  @Test
  void tooManyRequestsCarriesRetryAfter() {
    proxy.enqueue(Fault.tooManyRequests(Duration.ofSeconds(7)));

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class,
        provider(proxy.url(issuer.tokenEndpoint().encodedPath()).uri())::fetch);

    assertThat(thrown.statusCode()).isEqualTo(429);
    assertThat(thrown.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void refusedConnectionIsRetryable() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/token");
    }

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, provider(closed)::fetch);
    canary.recordFailure(thrown);

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.statusCode()).isZero();
    assertThat(thrown.getMessage()).contains("failed", closed.toString());
  }

  private static ClientCredentialsProvider provider(URI tokenUri) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(tokenUri)
        .clientAuthentication(ClientAuthentication.clientSecretPost("matrix-client", SecretValue.of(Canary.CLIENT_SECRET)))
        .connectTimeout(READ_TIMEOUT)
        .readTimeout(READ_TIMEOUT)
        .callTimeout(CALL_TIMEOUT)
        .build();
    return ClientCredentialsProvider.builder().tokenEndpoint(endpoint).scopes("storage").build();
  }

  /** What a call through a fault must end in. */
  enum Outcome {
    TOKEN,
    RETRYABLE,
    FATAL
  }
}
