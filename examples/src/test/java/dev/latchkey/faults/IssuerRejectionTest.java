package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.OAuthErrorException;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialUnavailableException;
import dev.latchkey.credentials.RefreshScheduler;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.testkit.FakeClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * An issuer that rejects the client's credentials gets a bounded number of requests however often
 * callers ask the cache, and an issuer URL that is plain HTTP off loopback is rejected before any
 * request.
 */
class IssuerRejectionTest {

  private static final Duration WINDOW = Duration.ofSeconds(3);
  private static final Duration CALLER_INTERVAL = Duration.ofMillis(5);

  private MockWebServer issuer;

  @BeforeEach
  void start() throws IOException {
    issuer = new MockWebServer();
    issuer.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    issuer.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_client", "invalid_grant"})
  void rejectedClientIsNotRetriedInLoop(String error) throws InterruptedException {
    issuer.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
            .body("{\"error\":\"" + error + "\",\"error_description\":\"rejected by the test\"}").build();
      }
    });
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(URI.create(issuer.url("/token").toString()))
        .clientAuthentication(ClientAuthentication.clientSecretPost("rejected", SecretValue.of(Canary.CLIENT_SECRET)))
        .build();
    FakeClock clock = FakeClock.create();
    RefreshScheduler neverRuns = (task, delay) -> new CompletableFuture<Void>();
    long callerAttempts = 0;
    long rejections = 0;
    try (CredentialCache<AccessToken> tokens = CredentialCache.builder(
            ClientCredentialsProvider.builder().tokenEndpoint(endpoint).build())
        .clock(clock)
        .scheduler(neverRuns)
        .jitterSeed(7)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
        .build()) {
      Instant end = clock.instant().plus(WINDOW);
      while (clock.instant().isBefore(end)) {
        callerAttempts++;
        try {
          tokens.current();
        } catch (CredentialUnavailableException e) {
          rejections++;
          assertThat(e).hasRootCauseInstanceOf(OAuthErrorException.class);
        }
        clock.advance(CALLER_INTERVAL);
      }
    }

    assertThat(callerAttempts).as("caller attempts in " + WINDOW).isEqualTo(600);
    assertThat(rejections).as("caller attempts rejected").isEqualTo(callerAttempts);
    // Backoff from 200 ms doubling to a 1 s cap allows about 5 fetches in 3 s; 8 leaves room for jitter.
    assertThat(issuer.getRequestCount()).as("token requests in " + WINDOW).isBetween(2, 8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://login.example.com/token", "http://10.0.0.5/oauth2/token", "http://169.254.169.254.example/token"})
  void plainHttpIssuerOffLoopbackIsRejected(String url) {
    assertThatThrownBy(() -> TokenEndpoint.builder().uri(URI.create(url)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(url.substring(0, url.indexOf('/', 8)));
  }

  @Test
  void plainHttpStsOffLoopbackIsRejected() {
    assertThatThrownBy(() -> WebIdentityCredentialsProvider.builder()
            .endpoint(URI.create("http://sts.example.com/"))
            .region("us-east-1")
            .roleArn("arn:aws:iam::000000000000:role/any")
            .tokenProvider(() -> { throw new AssertionError("the token must not be requested"); })
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://sts.example.com");
  }
}
