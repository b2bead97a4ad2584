package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.azure.sas.UserDelegationKey;
import dev.latchkey.azure.sas.UserDelegationKeyClient;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.testkit.AzuriteServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * User delegation SAS and bearer tokens against Azurite over HTTPS with {@code --oauth basic}, which
 * checks the token's claims but not its signature, so a locally built JWT replaces one from Entra ID.
 */
class UserDelegationAzuriteTest {

  private static final String CONTAINER = "delegated";
  private static final ObjectRef BLOB = ObjectRef.of(CONTAINER, "2026/q1.csv");
  private static final byte[] CONTENT = "delegated read".getBytes(StandardCharsets.UTF_8);
  private static AzuriteServer azurite;
  private static OkHttpClient client;
  private static AccessToken token;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder().https());
    client = AzuriteFixture.client(azurite);
    AzuriteFixture.createContainer(azurite, client, CONTAINER);
    Instant now = Instant.now();
    token = AccessToken.bearer(SecretValue.of(AzuriteFixture.storageJwt(now, 3600)), now.plusSeconds(3600));
    BlobBackend.builder().endpoint(azurite.blobEndpoint()).sharedKey(AzuriteFixture.key(azurite)).httpClient(client)
        .build().put(BLOB, ObjectBody.ofBytes(CONTENT), "text/csv", null);
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static UserDelegationKey delegationKey() {
    UserDelegationKeyClient keys = UserDelegationKeyClient.builder().endpoint(azurite.blobEndpoint())
        .httpClient(client).build();
    Instant now = Instant.now();
    return keys.fetch(token, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofMinutes(30)));
  }

  @Test
  void delegationKeyIsCappedAtTokenExpiry() {
    Instant now = Instant.now();
    AccessToken shortToken = AccessToken.bearer(SecretValue.of(AzuriteFixture.storageJwt(now, 600)), now.plusSeconds(600));
    UserDelegationKeyClient keys = UserDelegationKeyClient.builder().endpoint(azurite.blobEndpoint())
        .httpClient(client).build();

    UserDelegationKey key = keys.fetch(shortToken, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(2)));

    assertThat(key.signedExpiry()).isBeforeOrEqualTo(now.plusSeconds(600));
    assertThat(key.signedObjectId()).isNotBlank();
    assertThat(key.toString()).doesNotContain(key.value().reveal());
  }

  @Test
  void keyInfoCarriesDelegatedUserTenant() {
    String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    List<String> bodies = new CopyOnWriteArrayList<>();
    OkHttpClient recording = client.newBuilder().addInterceptor(chain -> {
      Buffer body = new Buffer();
      chain.request().body().writeTo(body);
      bodies.add(body.readUtf8());
      return chain.proceed(chain.request());
    }).build();
    UserDelegationKeyClient keys = UserDelegationKeyClient.builder().endpoint(azurite.blobEndpoint())
        .httpClient(recording).delegatedUserTenantId(tenant).build();
    Instant now = Instant.now();

    UserDelegationKey key = keys.fetch(token, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofMinutes(30)));

    assertThat(bodies).hasSize(1);
    assertThat(bodies.get(0)).contains("</Expiry><DelegatedUserTid>" + tenant + "</DelegatedUserTid></KeyInfo>");
    assertThat(key.signedObjectId()).isNotBlank();
    assertThat(key.signedDelegatedUserTenantId()).as("Azurite 3.35.0 returns no SignedDelegatedUserTid").isNull();
  }

  @Test
  void userDelegationSasGrantsRead() throws IOException {
    SasToken sas = BlobSas.builder().blob(CONTAINER, BLOB.key()).permissions("r").lifetime(Duration.ofMinutes(5))
        .build().sign(azurite.accountName(), delegationKey());

    try (Response response = get(sas)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().bytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void expiredUserDelegationSasIsRefused() throws IOException {
    UserDelegationKey key = delegationKey();
    InstantSource early = InstantSource.fixed(key.signedStart().plusSeconds(1));
    SasToken sas = BlobSas.builder().blob(CONTAINER, BLOB.key()).permissions("r").lifetime(Duration.ofSeconds(2))
        .startsOn(key.signedStart()).clock(early).build().sign(azurite.accountName(), key);

    try (Response response = get(sas)) {
      assertThat(response.code()).isEqualTo(403);
    }
  }

  @Test
  void writeOnlyUserDelegationSasRefusesRead() throws IOException {
    SasToken sas = BlobSas.builder().blob(CONTAINER, BLOB.key()).permissions("cw").lifetime(Duration.ofMinutes(5))
        .build().sign(azurite.accountName(), delegationKey());

    try (Response response = get(sas)) {
      assertThat(response.code()).isEqualTo(403);
    }
  }

  @Test
  void bearerBackendReadsAndPresigns() throws IOException {
    BlobBackend backend = BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(() -> token)
        .httpClient(client).build();

    try (ObjectContent object = backend.get(BLOB, null, null)) {
      assertThat(object.stream().readAllBytes()).isEqualTo(CONTENT);
    }
    URI url = backend.presign(new PresignRequest(BLOB, PresignRequest.Method.GET, Duration.ofMinutes(5)));
    assertThat(url.getRawQuery()).contains("skoid=").contains("spr=https");
    try (Response response = client.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
      assertThat(response.body().bytes()).isEqualTo(CONTENT);
    }
  }

  /**
   * PresignRequest allows 7 days, and Blob Storage grants a user delegation key for at most 7 days, so
   * the key request must stay within 7 days even with its margins around the SAS.
   */
  @Test
  void bearerBackendPresignsForSevenDays() throws IOException {
    Instant now = Instant.now();
    AccessToken longToken = AccessToken.bearer(SecretValue.of(AzuriteFixture.storageJwt(now, 30 * 86400)),
        now.plus(Duration.ofDays(30)));
    BlobBackend backend = BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(() -> longToken)
        .httpClient(client).build();

    URI url = backend.presign(new PresignRequest(BLOB, PresignRequest.Method.GET, PresignRequest.MAX_EXPIRY));

    try (Response response = client.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
      assertThat(response.body().bytes()).isEqualTo(CONTENT);
    }
  }

  /**
   * A key capped at the token's expiry cannot cover a longer presign request, but it is the longest
   * key the token can get, so the next presign reuses it instead of asking for another.
   */
  @Test
  void presignBeyondTokenExpiryReusesDelegationKey() {
    List<String> keyRequests = new CopyOnWriteArrayList<>();
    OkHttpClient recording = client.newBuilder().addInterceptor(chain -> {
      if (chain.request().url().toString().contains("comp=userdelegationkey")) {
        keyRequests.add(chain.request().url().toString());
      }
      return chain.proceed(chain.request());
    }).build();
    BlobBackend backend = BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(() -> token)
        .httpClient(recording).build();
    PresignRequest twoHours = new PresignRequest(BLOB, PresignRequest.Method.GET, Duration.ofHours(2));

    backend.presign(twoHours);
    backend.presign(twoHours);

    assertThat(keyRequests).hasSize(1);
  }

  @Test
  void bearerBackendRejectsPlainHttp() {
    assertThatThrownBy(() -> BlobBackend.builder().endpoint(URI.create("http://127.0.0.1:1/devstoreaccount1"))
        .allowPlainHttpOnLoopback().accessToken(() -> token).httpClient(client).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only over HTTPS");
  }

  private static Response get(SasToken sas) throws IOException {
    String url = azurite.blobEndpoint() + "/" + CONTAINER + "/" + BLOB.key() + "?" + sas.token().reveal();
    return client.newCall(new Request.Builder().url(url).header("x-ms-version", "2025-11-05").build()).execute();
  }
}
