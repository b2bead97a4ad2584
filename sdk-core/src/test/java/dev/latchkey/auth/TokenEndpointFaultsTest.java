package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.testing.Canaries;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Rejections and faults that mock-oauth2-server cannot produce, scripted with MockWebServer. */
class TokenEndpointFaultsTest {

  private static final SecretValue SECRET = SecretValue.of(Canaries.secret("token-endpoint-client"));
  private static final String TOKEN = Canaries.MARKER + "-token-91bc";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private MockWebServer server;
  private ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger("dev.latchkey")).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger("dev.latchkey")).detachAppender(logs);
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_client", "invalid_grant", "unauthorized_client", "invalid_scope"})
  void oauthErrorIsTypedAndNotRetryable(String error) {
    enqueue(401, "{\"error\":\"" + error + "\",\"error_description\":\"Client authentication failed\"}");

    OAuthErrorException thrown = catchThrowableOfType(OAuthErrorException.class, () -> provider().fetch());

    assertThat(thrown.error()).isEqualTo(error);
    assertThat(thrown.errorDescription()).contains("Client authentication failed");
    assertThat(thrown.statusCode()).isEqualTo(401);
    assertThat(thrown.isRetryable()).isFalse();
    assertThat(thrown.getMessage()).contains(error, "Client authentication failed", ":" + server.getPort() + "/token");
    assertNoSecretDisclosed(thrown);
  }

  @Test
  void serverErrorIsRetryable() {
    enqueue(500, "<html>Internal error</html>");

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.statusCode()).isEqualTo(500);
    assertThat(thrown.retryAfter()).isEmpty();
  }

  @Test
  void tooManyRequestsCarriesRetryAfterSeconds() {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "120").body("slow down").build());

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.statusCode()).isEqualTo(429);
    assertThat(thrown.retryAfter()).contains(Duration.ofSeconds(120));
  }

  @Test
  void unavailableCarriesRetryAfterDate() {
    server.enqueue(new MockResponse.Builder().code(503)
        .setHeader("Retry-After", "Sun, 01 Mar 2026 12:00:45 GMT").body("").build());

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.retryAfter()).contains(Duration.ofSeconds(45));
  }

  @Test
  void readTimeoutIsRetryable() {
    server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body(okBody()).build());
    ClientCredentialsProvider provider = provider(endpointBuilder().readTimeout(Duration.ofMillis(200)));

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, provider::fetch);

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.getMessage()).contains("timed out", ":" + server.getPort() + "/token");
  }

  @Test
  void connectionClosedMidResponseIsRetryable() {
    server.enqueue(new MockResponse.Builder().body(okBody())
        .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(new MockResponse.Builder().body(okBody())
        .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.statusCode()).isZero();
  }

  @Test
  void nonJsonSuccessIsClearError() {
    enqueue(200, "<html><body>Sign in</body></html>");

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isFalse();
    assertThat(thrown.getMessage()).contains("Invalid token response", "not JSON");
  }

  @Test
  void cutOffJsonSuccessIsRetryableError() {
    enqueue(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bea");

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isTrue();
    assertThat(thrown.getMessage()).contains("cut off");
    assertNoSecretDisclosed(thrown);
  }

  @Test
  void hugeBodyIsRejectedWithoutReadingIt() {
    server.enqueue(new MockResponse.Builder().body(new ZeroBody(100L << 20)).build());

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isFalse();
    assertThat(thrown.getMessage()).contains("longer than the limit of 1048576 bytes");
  }

  @Test
  void hugeChunkedBodyIsRejected() {
    server.enqueue(new MockResponse.Builder().chunkedBody("x".repeat(3 << 20), 64 * 1024).build());

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.getMessage()).contains("longer than the limit of 1048576 bytes");
  }

  @Test
  void redirectIsNotFollowed() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", server.url("/elsewhere")).build());
    server.enqueue(new MockResponse.Builder().body(okBody()).build());

    TokenEndpointException thrown = catchThrowableOfType(TokenEndpointException.class, () -> provider().fetch());

    assertThat(thrown.isRetryable()).isFalse();
    assertThat(thrown.getMessage()).contains("redirect", "configure the final URL");
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/token");
    assertThat(server.takeRequest(100, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void missingExpiryGetsDefaultLifetimeAndWarning() {
    enqueue(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\"}");

    AccessToken token = provider(endpointBuilder().defaultLifetime(Duration.ofMinutes(3))).fetch();

    assertThat(token.expiresAt()).contains(NOW.plus(Duration.ofMinutes(3)));
    assertThat(token.isBearer()).isTrue();
    assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("no expires_in", "PT3M"));
  }

  @Test
  void refreshInSetsRefreshTime() {
    enqueue(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\",\"refresh_in\":1800}");

    AccessToken token = provider().fetch();

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3600));
    assertThat(token.refreshAt()).contains(NOW.plusSeconds(1800));
  }

  @Test
  void nothingSecretIsLogged() {
    enqueue(200, okBody());

    provider().fetch();

    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
        .doesNotContain(SECRET.reveal(), TOKEN));
  }

  @Test
  void plainHttpToRemoteHostIsRejected() {
    assertThatThrownBy(() -> TokenEndpoint.builder().uri(URI.create("http://login.example.com/token?x=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'http://login.example.com/token'")
        .hasMessageContaining("must use https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/token", "http://localhost/token", "http://[::1]:9/token",
      "http://127.10.0.1/token", "https://login.example.com/token"})
  void httpsOrLoopbackIsAccepted(String url) {
    assertThat(TokenEndpoint.builder().uri(URI.create(url)).build().uri()).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost.example.com/token", "http://10.0.0.1/token", "ftp://127.0.0.1/token",
      "https://user:pass@login.example.com/token", "/token"})
  void insecureOrMalformedUrlIsRejected(String url) {
    assertThatThrownBy(() -> TokenEndpoint.builder().uri(URI.create(url)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid token endpoint")
        .hasMessageNotContaining("pass@");
  }

  private void assertNoSecretDisclosed(Throwable thrown) {
    Canaries.record(TOKEN);
    Canaries.recordException(thrown);
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      assertThat(String.valueOf(cause.getMessage())).doesNotContain(SECRET.reveal(), TOKEN);
    }
    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
        .doesNotContain(SECRET.reveal(), TOKEN));
  }

  private void enqueue(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build());
  }

  private static String okBody() {
    return "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}";
  }

  private ClientCredentialsProvider provider() {
    return provider(endpointBuilder());
  }

  private ClientCredentialsProvider provider(TokenEndpoint.Builder endpoint) {
    return ClientCredentialsProvider.builder().tokenEndpoint(endpoint.build()).scopes("storage.read").build();
  }

  private TokenEndpoint.Builder endpointBuilder() {
    InstantSource clock = InstantSource.fixed(NOW);
    return TokenEndpoint.builder()
        .uri(server.url("/token").uri())
        .clientAuthentication(ClientAuthentication.clientSecretBasic("exporter", SECRET))
        .clock(clock);
  }

  /** A body of zero bytes written in 64 KiB pieces, so the test keeps little of it in memory. */
  private record ZeroBody(long length) implements MockResponseBody {
    @Override
    public long getContentLength() {
      return length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      byte[] chunk = new byte[64 * 1024];
      for (long written = 0; written < length; written += chunk.length) {
        sink.write(chunk);
      }
    }
  }
}
