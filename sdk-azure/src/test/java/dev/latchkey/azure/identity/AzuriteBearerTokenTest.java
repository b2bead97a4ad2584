package dev.latchkey.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.testing.EntraTestIssuer;
import dev.latchkey.azure.testing.JwtParts;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.AzuriteUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entra ID bearer tokens against Azurite over HTTPS ({@code --oauth basic}), which checks that a
 * token is a JWT issued by {@code https://sts.windows.net/...} for {@code https://storage.azure.com}
 * and that the current time lies between its {@code nbf} and {@code exp}.
 */
class AzuriteBearerTokenTest {

  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String CONTAINER = "bearer-refresh";
  private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(5);
  private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static AzuriteServer azurite;
  private static EntraTestIssuer issuer;
  private static OkHttpClient http;

  @BeforeAll
  static void startServers() {
    try {
      azurite = AzuriteServer.builder().https().start();
    } catch (AzuriteUnavailableException e) {
      Assumptions.abort("Azurite tests need Node.js 20 or later with npm: " + e.getMessage());
    }
    issuer = EntraTestIssuer.start(TENANT, TOKEN_LIFETIME);
    http = new OkHttpClient.Builder()
        .sslSocketFactory(azurite.sslSocketFactory(), azurite.trustManager())
        .build();
    // mock-oauth2-server makes the issuer's signing key on its first token, which can take longer
    // than a 5-second token lives on a busy machine: make it before the cache starts counting.
    clientSecretSource().fetch();
  }

  @AfterAll
  static void stopServers() {
    if (issuer != null) {
      issuer.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void blobRequestsSurviveTokenRefreshCycle() throws IOException, InterruptedException {
    BlockingQueue<CredentialEvent> events = new LinkedBlockingQueue<>();
    List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    ExchangeListener recorder = exchanges::add;

    try (CredentialCache<AccessToken> cache = CredentialCache.builder(clientSecretSource())
        .listener(events::add)
        .build()) {
      createContainer(cache.current());
      BlobBackend blob = BlobBackend.builder()
          .endpoint(azurite.blobEndpoint())
          .accessToken(cache)
          .httpClient(http)
          .build();

      List<CredentialEvent> seen = new ArrayList<>();
      long start = System.nanoTime();
      int round = 0;
      while (refreshes(seen) < 2) {
        assertThat(System.nanoTime() - start).as("time to see two token refreshes").isLessThan(TIME_LIMIT_NANOS);
        roundTrip(blob, round++, recorder);
        CredentialEvent event = events.poll(50, TimeUnit.MILLISECONDS);
        if (event != null) {
          seen.add(event);
          events.drainTo(seen);
        }
      }
      roundTrip(blob, round, recorder);

      assertThat(seen).extracting(CredentialEvent::type)
          .containsOnly(CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESHED);
      assertThat(exchanges).isNotEmpty().allSatisfy(exchange ->
          assertThat(exchange.statusCode()).as(exchange.method() + " " + exchange.url()).isBetween(200, 299));
      assertThat(exchanges).extracting(Exchange::credentialId).doesNotContainNull()
          .contains(seen.get(seen.size() - 1).credentialId());
      assertThat(Set.copyOf(exchanges.stream().map(Exchange::credentialId).toList())).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void tokensCarryAzureStorageClaims() {
    AccessToken token = clientSecretSource().fetch();

    assertThat(token.expiresAt().orElseThrow()).isBefore(Instant.now().plus(TOKEN_LIFETIME));
    assertThat(JwtParts.decode(token.token().reveal()).claims())
        .containsEntry("iss", issuer.stsIssuer())
        .containsEntry("aud", "https://storage.azure.com")
        .containsKeys("nbf", "iat", "exp");
  }

  private static CredentialProvider<AccessToken> clientSecretSource() {
    return ClientSecretCredentials.builder()
        .tenantId(TENANT)
        .clientId("3f2a1b0c-1111-2222-3333-444455556666")
        .clientSecret(SecretValue.of("test-secret"))
        .authorityHost(issuer.authorityHost())
        .build();
  }

  private static int refreshes(List<CredentialEvent> events) {
    return (int) events.stream().filter(event -> event.type() == CredentialEvent.Type.REFRESHED).count();
  }

  private static void roundTrip(BlobBackend blob, int round, ExchangeListener recorder) throws IOException {
    ObjectRef ref = ObjectRef.of(CONTAINER, "round/" + round + ".txt");
    byte[] content = ("round " + round).getBytes(StandardCharsets.UTF_8);

    blob.put(ref, ObjectBody.ofBytes(content), "text/plain", recorder);
    try (ObjectContent downloaded = blob.get(ref, null, recorder)) {
      assertThat(downloaded.stream().readAllBytes()).isEqualTo(content);
    }
  }

  /** Creates the container with the bearer token directly: the backend SPI has no Create Container. */
  private static void createContainer(AccessToken token) throws IOException {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    Request request = new Request.Builder()
        .url(azurite.blobEndpoint() + "/" + CONTAINER + "?restype=container")
        .put(RequestBody.create(new byte[0]))
        .header("Authorization", "Bearer " + token.token().reveal())
        .header("x-ms-version", "2021-08-06")
        .header("x-ms-date", date)
        .build();
    try (Response response = http.newCall(request).execute()) {
      assertThat(response.code()).as("Create Container").isEqualTo(201);
    }
  }
}
