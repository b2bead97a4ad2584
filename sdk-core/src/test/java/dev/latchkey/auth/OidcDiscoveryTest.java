package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcDiscoveryTest {

  private static OAuthTestServer server;

  @BeforeAll
  static void startServer() {
    server = OAuthTestServer.start(60);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    server.drainRequests();
  }

  @Test
  void discoveredEndpointIssuesTokens() {
    OidcDiscovery discovery = OidcDiscovery.builder().issuer(server.issuer()).build();
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .discovery(discovery)
        .clientAuthentication(ClientAuthentication.clientSecretPost("exporter", SecretValue.of("s")))
        .build();

    ClientCredentialsProvider.builder().tokenEndpoint(endpoint).scopes("a").build().fetch();

    assertThat(discovery.tokenEndpoint()).isEqualTo(server.tokenEndpoint());
    assertThat(discovery.jwksUri()).isPresent();
    assertThat(server.takeRequest().getPath()).endsWith("/.well-known/openid-configuration");
    assertThat(server.takeRequest().getPath()).endsWith("/token");
  }

  @Test
  void metadataIsCachedUntilCacheDurationPasses() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    OidcDiscovery discovery = OidcDiscovery.builder()
        .issuer(server.issuer())
        .cacheDuration(Duration.ofMinutes(5))
        .clock(now::get)
        .build();

    discovery.tokenEndpoint();
    now.set(now.get().plus(Duration.ofMinutes(4)));
    discovery.tokenEndpoint();
    now.set(now.get().plus(Duration.ofMinutes(2)));
    discovery.tokenEndpoint();

    assertThat(server.takeRequest().getPath()).endsWith("/.well-known/openid-configuration");
    assertThat(server.takeRequest().getPath()).endsWith("/.well-known/openid-configuration");
    assertThatThrownBy(server::takeRequest).isInstanceOf(RuntimeException.class);
  }

  @Test
  void issuerMismatchIsRejected() throws IOException {
    try (MockWebServer fake = new MockWebServer()) {
      fake.start(InetAddress.getByName("127.0.0.1"), 0);
      fake.enqueue(new MockResponse.Builder()
          .body("{\"issuer\":\"https://evil.example.com\",\"token_endpoint\":\"https://evil.example.com/token\"}")
          .build());
      OidcDiscovery discovery = OidcDiscovery.builder().issuer(fake.url("/tenant").uri()).build();

      assertThatThrownBy(discovery::tokenEndpoint)
          .isInstanceOf(TokenEndpointException.class)
          .hasMessageContaining("differs from the configured issuer");
    }
  }

  @Test
  void insecureDiscoveredEndpointIsRejected() throws Exception {
    try (MockWebServer fake = new MockWebServer()) {
      fake.start(InetAddress.getByName("127.0.0.1"), 0);
      String issuer = fake.url("/tenant").toString();
      fake.enqueue(new MockResponse.Builder()
          .body("{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"http://login.example.com/token\"}")
          .build());
      OidcDiscovery discovery = OidcDiscovery.builder().issuer(fake.url("/tenant").uri()).build();

      assertThatThrownBy(discovery::tokenEndpoint)
          .isInstanceOf(TokenEndpointException.class)
          .hasMessageContaining("must use https");
      assertThat(fake.takeRequest(1, TimeUnit.SECONDS).getUrl().encodedPath())
          .isEqualTo("/tenant/.well-known/openid-configuration");
    }
  }
}
