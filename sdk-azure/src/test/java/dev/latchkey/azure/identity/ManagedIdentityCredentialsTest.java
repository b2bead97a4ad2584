package dev.latchkey.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.azure.testing.ImdsDispatcher;
import dev.latchkey.azure.testing.RecordingSleeper;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.testkit.Canary;
import dev.latchkey.testkit.FakeClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagedIdentityCredentialsTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String IMDS_TOKEN = Canary.secret("imds-access-token");

  private final MockWebServer server = new MockWebServer();
  private final FakeClock clock = FakeClock.at(START);
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(new ImdsDispatcher());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void usesImdsWithoutIdentityEndpoint() throws InterruptedException {
    server.enqueue(tokenResponse());

    CredentialProvider<AccessToken> provider = builder().environment(Map.of()).build();
    AccessToken token = provider.fetch();

    server.takeRequest(1, TimeUnit.SECONDS);
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(provider.name()).isEqualTo("managed-identity-imds");
    assertThat(request.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo("https://storage.azure.com");
    assertThat(token.expiresAt()).contains(START.plusSeconds(3600));
  }

  @Test
  void usesAppServiceFromEnvironment() throws InterruptedException {
    server.enqueue(tokenResponse());
    Map<String, String> env = Map.of(
        "IDENTITY_ENDPOINT", server.url("/msi/token").toString(), "IDENTITY_HEADER", "header-value");

    CredentialProvider<AccessToken> provider = builder().environment(env).clientId("client-1").build();
    provider.fetch();

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(provider.name()).isEqualTo("managed-identity-app-service");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/msi/token");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2019-08-01");
    assertThat(request.getUrl().queryParameter("client_id")).isEqualTo("client-1");
    assertThat(request.getHeaders().get("X-IDENTITY-HEADER")).isEqualTo("header-value");
  }

  @Test
  void requestsConfiguredScopeAsResource() throws InterruptedException {
    server.enqueue(tokenResponse());

    AccessToken token = builder().environment(Map.of())
        .scope("https://vault.azure.net/.default").build().fetch();

    server.takeRequest();
    assertThat(server.takeRequest().getUrl().queryParameter("resource")).isEqualTo("https://vault.azure.net");
    assertThat(token.scopes()).containsExactly("https://vault.azure.net/.default");
  }

  @Test
  void retriesThroughThePublicBuilder() {
    server.enqueue(new MockResponse.Builder().code(410).build());
    server.enqueue(tokenResponse());

    builder().environment(Map.of()).build().fetch();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void tricklingResponseIsCutOffAndRetried() {
    server.enqueue(new MockResponse.Builder()
        .body("{\"access_token\":\"slow\",\"expires_in\":\"3600\",\"token_type\":\"Bearer\"}")
        .throttleBody(1, 100, TimeUnit.MILLISECONDS)
        .build());
    server.enqueue(tokenResponse());

    AccessToken token = builder().environment(Map.of()).callTimeout(Duration.ofMillis(500)).build().fetch();

    assertThat(token.token().reveal()).isEqualTo(IMDS_TOKEN);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void malformedTokenResponsesHideToken() {
    server.enqueue(new MockResponse.Builder()
        .body("{\"access_token\":\"" + IMDS_TOKEN + "\",\"expires_in\":\"soon\",\"token_type\":\"Bearer\"}").build());
    server.enqueue(new MockResponse.Builder().body("{\"access_token\":\"" + IMDS_TOKEN + "\",\"expires_in\":").build());
    CredentialProvider<AccessToken> provider =
        builder().environment(Map.of()).maxRetryDuration(Duration.ZERO).build();

    for (int response = 0; response < 2; response++) {
      Throwable failure = catchThrowable(provider::fetch);
      Canary.recordException(failure);

      assertThat(failure).as("failure for response #%d", response).isNotNull();
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(Canary.MARKER);
      }
    }
  }

  @Test
  void zeroRetryDurationDisablesRetries() {
    server.enqueue(new MockResponse.Builder().code(410).build());

    CredentialProvider<AccessToken> provider =
        builder().environment(Map.of()).maxRetryDuration(Duration.ZERO).build();

    assertThatThrownBy(provider::fetch).hasMessageContaining("HTTP 410");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void serviceFabricIsNotConfigured() {
    Map<String, String> env = Map.of("IDENTITY_ENDPOINT", "https://127.0.0.1:2377/metadata/identity/oauth2/token",
        "IDENTITY_HEADER", "h", "IDENTITY_SERVER_THUMBPRINT", "abc");

    CredentialProvider<AccessToken> provider = builder().environment(env).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("Service Fabric");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void azureArcIsNotConfigured() {
    Map<String, String> env = Map.of("IDENTITY_ENDPOINT", "http://localhost:40342/metadata/identity/oauth2/token",
        "IMDS_ENDPOINT", "http://localhost:40342");

    assertThatThrownBy(builder().environment(env).build()::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("Azure Arc");
  }

  @Test
  void rejectsPlainHttpIdentityEndpointOffLoopback() {
    Map<String, String> env = Map.of("IDENTITY_ENDPOINT", "http://identity.example.com/msi/token",
        "IDENTITY_HEADER", "header-value");

    assertThatIllegalStateException()
        .isThrownBy(() -> builder().environment(env).build())
        .withMessageContaining("IDENTITY_ENDPOINT")
        .withMessageNotContaining("header-value");
  }

  @Test
  void rejectsMoreThanOneIdentityId() {
    ManagedIdentityCredentials.Builder builder = builder().clientId("c").objectId("o");

    assertThatIllegalStateException()
        .isThrownBy(builder::build)
        .withMessageContaining("clientId, objectId and resourceId");
  }

  @Test
  void rejectsBadOptionsAtOnce() {
    ManagedIdentityCredentials.Builder builder = ManagedIdentityCredentials.builder();

    assertThatIllegalArgumentException().isThrownBy(() -> builder.clientId(" "))
        .withMessageContaining("clientId");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.resourceId("my-identity"))
        .withMessageContaining("/subscriptions/");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.scope(""))
        .withMessageContaining("scope");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ZERO))
        .withMessageContaining("connectTimeout");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.maxRetryDuration(Duration.ofSeconds(-1)))
        .withMessageContaining("maxRetryDuration");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.imdsEndpoint(URI.create("http://metadata.example.com/token")))
        .withMessageContaining("imdsEndpoint");
  }

  private ManagedIdentityCredentials.Builder builder() {
    return ManagedIdentityCredentials.builder()
        .imdsEndpoint(URI.create(server.url(ImdsDispatcher.TOKEN_PATH).toString()))
        .clock(clock)
        .sleeper(sleeper);
  }

  private static MockResponse tokenResponse() {
    return new MockResponse.Builder()
        .body("{\"access_token\":\"" + IMDS_TOKEN + "\",\"expires_in\":\"3600\",\"token_type\":\"Bearer\"}")
        .build();
  }
}
