package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.LatchkeyException;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A storage service or issuer on 127.0.0.1 that redirects to a second server on another loopback
 * address, 127.0.0.2: whatever reaches the second server must carry no Authorization header, no
 * session token, no SAS and no signature.
 */
class RedirectLeakTest {

  private static final String SECRET_KEY = dev.latchkey.testkit.Canary.secret("redirect-secret-key");
  private static final String SESSION_TOKEN = dev.latchkey.testkit.Canary.secret("redirect-session-token");
  private static final String ACCOUNT_KEY = dev.latchkey.testkit.Canary.base64Key("redirect-account");
  private static final String SAS = "sv=2025-11-05&sr=c&sp=r&se=2099-01-01T00%3A00%3A00Z&sig="
      + dev.latchkey.testkit.Canary.signature("redirect-sas").replace("=", "%3D");
  private static final ObjectRef OBJECT = ObjectRef.of("reports", "q4.csv");

  private MockWebServer origin;
  private MockWebServer elsewhere;

  @BeforeEach
  void start() throws IOException {
    origin = new MockWebServer();
    origin.start(InetAddress.getByName("127.0.0.1"), 0);
    elsewhere = new MockWebServer();
    elsewhere.start(InetAddress.getByName("127.0.0.2"), 0);
  }

  @AfterEach
  void stop() {
    origin.close();
    elsewhere.close();
  }

  static Stream<Arguments> backends() {
    return Stream.of(
        Arguments.of("S3, default HTTP client", (Function<URI, StorageBackend>) endpoint -> s3(endpoint, null)),
        Arguments.of("S3, redirect-following HTTP client",
            (Function<URI, StorageBackend>) endpoint -> s3(endpoint, new OkHttpClient())),
        Arguments.of("Blob shared key, redirect-following HTTP client",
            (Function<URI, StorageBackend>) endpoint -> BlobBackend.builder().endpoint(endpoint).allowPlainHttpOnLoopback()
                .sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of(ACCOUNT_KEY)))
                .httpClient(new OkHttpClient()).build()),
        Arguments.of("Blob SAS, redirect-following HTTP client",
            (Function<URI, StorageBackend>) endpoint -> BlobBackend.builder().endpoint(endpoint).allowPlainHttpOnLoopback()
                .sasToken(() -> SasToken.of(SecretValue.of(SAS), Instant.parse("2099-01-01T00:00:00Z")))
                .httpClient(new OkHttpClient()).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void storageRedirectCarriesNoSecret(String name, Function<URI, StorageBackend> backendFactory) throws Exception {
    for (int i = 0; i < 3; i++) {
      origin.enqueue(redirectTo(elsewhere.url("/reports/q4.csv?moved=1").toString()));
      elsewhere.enqueue(new MockResponse.Builder().code(200).body("moved content").build());
    }
    StorageBackend backend = backendFactory.apply(URI.create(origin.url(name.startsWith("S3") ? "/" : "/devstoreaccount1").toString()));

    Throwable thrown = catchThrowable(() -> backend.get(OBJECT, null, exchange -> { }).close());
    dev.latchkey.testkit.Canary.recordException(thrown);

    assertThat(origin.takeRequest(1, TimeUnit.SECONDS)).as("request to the origin").isNotNull();
    List<RecordedRequest> followed = receivedBy(elsewhere);
    assertNoSecretIn(followed);
    assertThat(followed).as("requests that followed the redirect to another host").isEmpty();
    assertThat(thrown).as("result of a redirected get").isInstanceOf(LatchkeyException.class);
    assertThat(thrown.getMessage()).contains("307");
  }

  @Test
  void tokenEndpointDoesNotFollowCrossHostRedirect() throws Exception {
    origin.enqueue(redirectTo(elsewhere.url("/token").toString()));
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(URI.create(origin.url("/token").toString()))
        .clientAuthentication(ClientAuthentication.clientSecretBasic("redirected", SecretValue.of(Canary.CLIENT_SECRET)))
        .build();

    Throwable thrown = catchThrowable(ClientCredentialsProvider.builder().tokenEndpoint(endpoint).build()::fetch);
    dev.latchkey.testkit.Canary.recordException(thrown);

    assertThat(thrown).isInstanceOf(LatchkeyException.class).hasMessageContaining("redirect");
    assertThat(((LatchkeyException) thrown).isRetryable()).isFalse();
    assertThat(receivedBy(elsewhere)).as("requests to the redirect target").isEmpty();
  }

  private static MockResponse redirectTo(String location) {
    return new MockResponse.Builder().code(307).setHeader("Location", location).build();
  }

  private static List<RecordedRequest> receivedBy(MockWebServer server) throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest request = server.takeRequest(200, TimeUnit.MILLISECONDS); request != null;
        request = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      requests.add(request);
    }
    return requests;
  }

  private static void assertNoSecretIn(List<RecordedRequest> requests) {
    for (RecordedRequest request : requests) {
      String target = request.getUrl().toString().toLowerCase(Locale.ROOT);
      assertThat(request.getHeaders().get("Authorization")).as("Authorization sent to another host").isNull();
      assertThat(request.getHeaders().get("X-Amz-Security-Token")).as("session token sent to another host").isNull();
      assertThat(target).doesNotContain("sig=", "x-amz-signature", "x-amz-credential");
      assertThat(request.getHeaders().toString()).doesNotContain(SECRET_KEY, SESSION_TOKEN, ACCOUNT_KEY);
    }
  }

  private static StorageBackend s3(URI endpoint, OkHttpClient client) {
    S3Backend.Builder builder = S3Backend.builder()
        .endpoint(endpoint)
        .region("us-east-1")
        .addressing(S3Backend.Addressing.PATH_STYLE)
        .credentials(StaticCredentialProvider.of(AwsCredentials.builder()
            .accessKeyId("ASIAREDIRECT")
            .secretAccessKey(SecretValue.of(SECRET_KEY))
            .sessionToken(SecretValue.of(SESSION_TOKEN))
            .expiresAt(Instant.parse("2099-01-01T00:00:00Z"))
            .build()));
    if (client != null) {
      builder.httpClient(client);
    }
    return builder.build();
  }
}
