package dev.latchkey.azure.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.azure.testing.ImdsDispatcher;
import dev.latchkey.azure.testing.RecordingSleeper;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.testkit.FakeClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagedIdentityClientTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SCOPE = "https://storage.azure.com/.default";

  private final MockWebServer server = new MockWebServer();
  private final FakeClock clock = FakeClock.at(START);
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final OkHttpClient http = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(1))
      .readTimeout(Duration.ofSeconds(5))
      .build();

  private final ImdsDispatcher dispatcher = new ImdsDispatcher();

  @BeforeEach
  void startServer() throws IOException {
    server.setDispatcher(dispatcher);
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void imdsRequestHasDocumentedShape() throws InterruptedException {
    server.enqueue(token(3600));

    AccessToken token = imds(new ManagedIdentityId(ManagedIdentityId.Type.CLIENT_ID, "client-1")).fetch();

    RecordedRequest request = takeTokenRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2018-02-01");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo("https://storage.azure.com");
    assertThat(request.getUrl().queryParameter("client_id")).isEqualTo("client-1");
    assertThat(request.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(token.expiresAt()).contains(START.plusSeconds(3600));
  }

  @Test
  void imdsNamesIdentityByObjectOrResourceId() throws InterruptedException {
    server.enqueue(token(3600));
    server.enqueue(token(3600));

    imds(new ManagedIdentityId(ManagedIdentityId.Type.OBJECT_ID, "object-1")).fetch();
    imds(new ManagedIdentityId(ManagedIdentityId.Type.RESOURCE_ID, "/subscriptions/s/x")).fetch();

    assertThat(takeTokenRequest().getUrl().queryParameter("object_id")).isEqualTo("object-1");
    assertThat(takeTokenRequest().getUrl().queryParameter("msi_res_id")).isEqualTo("/subscriptions/s/x");
  }

  @Test
  void systemAssignedIdentitySendsNoId() throws InterruptedException {
    server.enqueue(token(3600));

    imds(null).fetch();

    HttpUrl url = takeTokenRequest().getUrl();
    assertThat(url.queryParameterNames()).containsExactlyInAnyOrder("api-version", "resource");
  }

  @Test
  void appServiceRequestHasDocumentedShape() throws InterruptedException {
    server.enqueue(token(3600));

    appService(new ManagedIdentityId(ManagedIdentityId.Type.OBJECT_ID, "object-1")).fetch();

    RecordedRequest request = takeTokenRequest();
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2019-08-01");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo("https://storage.azure.com");
    assertThat(request.getUrl().queryParameter("principal_id")).isEqualTo("object-1");
    assertThat(request.getHeaders().get("X-IDENTITY-HEADER")).isEqualTo("header-secret");
    assertThat(request.getHeaders().get("Metadata")).isNull();
  }

  @Test
  void appServiceNamesIdentityByResourceId() throws InterruptedException {
    server.enqueue(token(3600));

    appService(new ManagedIdentityId(ManagedIdentityId.Type.RESOURCE_ID, "/subscriptions/s/x")).fetch();

    assertThat(takeTokenRequest().getUrl().queryParameter("mi_res_id")).isEqualTo("/subscriptions/s/x");
  }

  @Test
  void appServiceDateExpiryIsRead() {
    server.enqueue(new MockResponse.Builder()
        .body("{\"access_token\":\"t\",\"expires_on\":\"03/01/2026 11:00:00 +00:00\",\"token_type\":\"Bearer\"}")
        .build());

    AccessToken token = appService(null).fetch();

    assertThat(token.expiresAt()).contains(START.plusSeconds(3600));
  }

  @Test
  void retriesGoneThenSucceeds() {
    server.enqueue(status(410));
    server.enqueue(token(3600));

    AccessToken token = imds(null).fetch();

    assertThat(token.expiresAt()).contains(START.plusSeconds(3601));
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
    assertThat(tokenRequestCount()).isEqualTo(2);
  }

  @Test
  void keepsRetryingGoneForSeventySeconds() {
    for (int i = 0; i < 8; i++) {
      server.enqueue(status(410));
    }
    server.enqueue(token(3600));

    AccessToken token = imds(null).fetch();

    assertThat(token.expiresAt()).contains(START.plusSeconds(70 + 3600));
    assertThat(tokenRequestCount()).isEqualTo(9);
    assertThat(sleeper.sleeps().stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(70));
  }

  @Test
  void givesUpAfterTheRetryBudget() {
    for (int i = 0; i < 10; i++) {
      server.enqueue(status(503));
    }

    assertThatThrownBy(() -> imds(null).fetch())
        .isInstanceOf(CredentialException.class)
        .isNotInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("HTTP 503")
        .extracting(e -> ((CredentialException) e).isRetryable()).isEqualTo(true);
    assertThat(tokenRequestCount()).isEqualTo(9);
  }

  @Test
  void honoursRetryAfterOnThrottling() {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "3")
        .body("{\"error\":\"throttled\"}").build());
    server.enqueue(token(3600));

    imds(null).fetch();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void honoursRetryAfterHttpDateOnGone() {
    server.enqueue(new MockResponse.Builder().code(410).setHeader("Retry-After", "Sun, 01 Mar 2026 10:00:09 GMT")
        .body("{\"error\":\"updating\"}").build());
    server.enqueue(token(3600));

    imds(null).fetch();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(9));
  }

  @Test
  void retryAfterDateCappedByBudget() {
    server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "Mon, 02 Mar 2026 10:00:00 GMT")
        .body("{\"error\":\"unavailable\"}").build());
    server.enqueue(token(3600));

    appService(null).fetch();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(70));
  }

  @Test
  void retriesServerErrors() {
    server.enqueue(status(500));
    server.enqueue(status(502));
    server.enqueue(token(3600));

    imds(null).fetch();

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void appServiceDoesNotRetryGone() {
    server.enqueue(status(410));

    assertThatThrownBy(() -> appService(null).fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("HTTP 410");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void clientErrorsAreNotRetried() {
    server.enqueue(new MockResponse.Builder().code(401)
        .body("{\"statusCode\":401,\"message\":\"Unauthorized request\"}").build());

    assertThatThrownBy(() -> appService(null).fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("Unauthorized request")
        .hasMessageNotContaining("header-secret")
        .extracting(e -> ((CredentialException) e).isRetryable()).isEqualTo(false);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void unassignedIdentityIsNotConfigured() {
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}").build());

    assertThatThrownBy(() -> imds(new ManagedIdentityId(ManagedIdentityId.Type.CLIENT_ID, "c")).fetch())
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("invalid_request: Identity not found");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void slowResponseTimesOutAndIsRetried() {
    OkHttpClient impatient = http.newBuilder().readTimeout(Duration.ofMillis(200)).build();
    server.enqueue(new MockResponse.Builder().headersDelay(1, TimeUnit.SECONDS)
        .body("{\"access_token\":\"slow\",\"expires_in\":60}").build());
    server.enqueue(token(3600));

    AccessToken token = client(ManagedIdentityEndpoint.imds(server.url(ImdsDispatcher.TOKEN_PATH)), null, impatient).fetch();

    assertThat(token.token().reveal()).isEqualTo("token-3600");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void malformedBodyIsNotRetried() {
    server.enqueue(new MockResponse.Builder().body("<html>metadata</html>").build());

    assertThatThrownBy(() -> imds(null).fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("not valid JSON");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void probesImdsOnceWithoutMetadataHeader() throws InterruptedException {
    server.enqueue(token(3600));
    server.enqueue(token(3600));
    ManagedIdentityClient client = imds(null);

    client.fetch();
    client.fetch();

    RecordedRequest probe = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(probe.getHeaders().get("Metadata")).isNull();
    assertThat(probe.getUrl().queryParameter("resource")).isEqualTo("https://storage.azure.com");
    assertThat(dispatcher.probes()).isEqualTo(1);
    assertThat(tokenRequestCount()).isEqualTo(2);
  }

  @Test
  void otherMetadataServiceIsNotConfigured() {
    server.setDispatcher(new QueueDispatcher());
    server.enqueue(new MockResponse.Builder().code(404)
        .body("<?xml version=\"1.0\"?><html><title>404 - Not Found</title></html>").build());

    assertThatThrownBy(() -> imds(null).fetch())
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("HTTP 404, but Azure IMDS responds with 400");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void busyImdsPassesTheProbe() {
    server.setDispatcher(new QueueDispatcher());
    server.enqueue(status(410));
    server.enqueue(status(410));
    server.enqueue(token(3600));

    AccessToken token = imds(null).fetch();

    assertThat(token.token().reveal()).isEqualTo("token-3600");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void unreachableImdsIsNotConfigured() throws IOException {
    HttpUrl closed = closedPortUrl();

    ManagedIdentityClient client = client(ManagedIdentityEndpoint.imds(closed), null, http);

    assertThatThrownBy(client::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("not an Azure VM");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void silentImdsAddressIsNotConfiguredAfterConnectTimeout() throws IOException {
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = fillAcceptQueue(full);
      assumeTrue(queued != null, "this kernel completes every loopback connection, so none can hang");
      OkHttpClient quick = http.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
      HttpUrl url = HttpUrl.get("http://127.0.0.1:" + full.getLocalPort() + "/metadata/identity/oauth2/token");

      ManagedIdentityClient client = client(ManagedIdentityEndpoint.imds(url), null, quick);

      assertThatThrownBy(client::fetch)
          .isInstanceOf(CredentialNotConfiguredException.class)
          .hasMessageContaining("not an Azure VM");
      assertThat(sleeper.sleeps()).isEmpty();
      for (Socket socket : queued) {
        socket.close();
      }
    }
  }

  @Test
  void unreachableAppServiceIsRetriedAsFailure() throws IOException {
    HttpUrl closed = closedPortUrl();

    ManagedIdentityClient client = client(
        ManagedIdentityEndpoint.appService(closed, SecretValue.of("header-secret")), null, http);

    assertThatThrownBy(client::fetch)
        .isInstanceOf(CredentialException.class)
        .isNotInstanceOf(CredentialNotConfiguredException.class);
    assertThat(sleeper.sleeps()).isNotEmpty();
  }

  @Test
  void endpointToStringHidesIdentityHeader() {
    ManagedIdentityEndpoint endpoint =
        ManagedIdentityEndpoint.appService(server.url("/msi/token"), SecretValue.of("header-secret"));

    assertThat(endpoint.toString()).startsWith("App Service http://").doesNotContain("header-secret");
    assertThat(appService(null).toString()).contains("App Service", "system-assigned")
        .doesNotContain("header-secret");
  }

  @Test
  void namesItsEndpointKind() {
    assertThat(imds(null).name()).isEqualTo("managed-identity-imds");
    assertThat(appService(null).name()).isEqualTo("managed-identity-app-service");
  }

  private int tokenRequestCount() {
    return server.getRequestCount() - dispatcher.probes();
  }

  /** Returns the next request that is not an IMDS probe. */
  private RecordedRequest takeTokenRequest() throws InterruptedException {
    while (true) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(request).as("a token request within 1 second").isNotNull();
      if (!ImdsDispatcher.isProbe(request)) {
        return request;
      }
    }
  }

  private ManagedIdentityClient imds(ManagedIdentityId identity) {
    return client(ManagedIdentityEndpoint.imds(server.url(ImdsDispatcher.TOKEN_PATH)), identity, http);
  }

  private ManagedIdentityClient appService(ManagedIdentityId identity) {
    ManagedIdentityEndpoint endpoint =
        ManagedIdentityEndpoint.appService(server.url("/msi/token"), SecretValue.of("header-secret"));
    return client(endpoint, identity, http);
  }

  private ManagedIdentityClient client(ManagedIdentityEndpoint endpoint, ManagedIdentityId identity,
      OkHttpClient httpClient) {
    return new ManagedIdentityClient(new ManagedIdentityClient.Settings(endpoint, identity, SCOPE,
        httpClient, clock, sleeper,
        new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(70))));
  }

  /** Creates a token response with a relative lifetime (expires_in), so it suits any clock time. */
  private static MockResponse token(long lifetimeSeconds) {
    return new MockResponse.Builder()
        .body("{\"access_token\":\"token-" + lifetimeSeconds + "\",\"expires_in\":\"" + lifetimeSeconds
            + "\",\"resource\":\"https://storage.azure.com\",\"token_type\":\"Bearer\"}")
        .build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("{\"error\":\"status " + code + "\"}").build();
  }

  /**
   * Connects to a server that never accepts until its accept queue is full, so the next connection
   * attempt hangs the way one to an address that drops packets does. Returns the open sockets, or
   * null if every connection succeeded.
   */
  private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(server.getLocalSocketAddress(), 200);
        sockets.add(socket);
      } catch (SocketTimeoutException e) {
        socket.close();
        return sockets;
      }
    }
    for (Socket socket : sockets) {
      socket.close();
    }
    return null;
  }

  private static HttpUrl closedPortUrl() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return HttpUrl.get("http://127.0.0.1:" + port + "/metadata/identity/oauth2/token");
  }
}
