package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.sas.AccountSas;
import dev.latchkey.azure.sas.AccountSasPermission;
import dev.latchkey.azure.sas.AccountSasResourceType;
import dev.latchkey.azure.sas.AccountSasService;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.azure.sas.SasProtocol;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.AzuriteServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Service, container and account SAS against Azurite in strict mode: granted, expired and under-permitted. */
class SasAzuriteTest {

  private static final String CONTAINER = "shared";
  private static final ObjectRef BLOB = ObjectRef.of(CONTAINER, "2026/q1 report.csv");
  private static final byte[] CONTENT = "id,amount\n".getBytes(StandardCharsets.UTF_8);
  private static AzuriteServer azurite;
  private static OkHttpClient client;
  private static BlobBackend keyBackend;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder());
    client = AzuriteFixture.client(azurite);
    AzuriteFixture.createContainer(azurite, client, CONTAINER);
    keyBackend = BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sharedKey(AzuriteFixture.key(azurite)).httpClient(client).build();
    keyBackend.put(BLOB, ObjectBody.ofBytes(CONTENT), "text/csv", null);
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static BlobSas.Builder blobSas() {
    return BlobSas.builder().blob(CONTAINER, BLOB.key()).protocol(SasProtocol.HTTPS_AND_HTTP);
  }

  @Test
  void blobSasGrantsRead() throws IOException {
    SasToken token = blobSas().permissions("r").lifetime(Duration.ofMinutes(5)).build().sign(AzuriteFixture.key(azurite));

    try (Response response = send("GET", blobUrl(token), null)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().bytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void blobSasWithOverridesSetsResponseHeaders() throws IOException {
    SasToken token = blobSas().permissions("r").lifetime(Duration.ofMinutes(5))
        .contentDisposition("attachment; filename=\"q1 100%.csv\"").contentType("application/vnd.latchkey+csv")
        .build().sign(AzuriteFixture.key(azurite));

    try (Response response = send("GET", blobUrl(token), null)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"q1 100%.csv\"");
      assertThat(response.header("Content-Type")).isEqualTo("application/vnd.latchkey+csv");
    }
  }

  @Test
  void expiredBlobSasIsRefused() throws IOException {
    InstantSource past = InstantSource.fixed(Instant.now().minus(Duration.ofHours(2)));
    SasToken token = blobSas().permissions("r").lifetime(Duration.ofMinutes(5)).clock(past).build()
        .sign(AzuriteFixture.key(azurite));

    try (Response response = send("GET", blobUrl(token), null)) {
      assertThat(response.code()).isEqualTo(403);
      // Azure returns AuthenticationFailed; Azurite 3.35.0 returns AuthorizationFailure.
      assertThat(response.header("x-ms-error-code")).isIn("AuthenticationFailed", "AuthorizationFailure");
    }
  }

  @Test
  void readOnlyBlobSasRefusesWrite() throws IOException {
    SasToken token = blobSas().permissions("r").lifetime(Duration.ofMinutes(5)).build().sign(AzuriteFixture.key(azurite));

    try (Response response = send("PUT", blobUrl(token), new byte[] {1})) {
      assertThat(response.code()).isEqualTo(403);
      assertThat(response.header("x-ms-error-code")).isEqualTo("AuthorizationPermissionMismatch");
    }
  }

  @Test
  void httpsOnlySasIsRefusedOverHttp() throws IOException {
    SasToken token = BlobSas.builder().blob(CONTAINER, BLOB.key()).permissions("r").lifetime(Duration.ofMinutes(5))
        .build().sign(AzuriteFixture.key(azurite));

    try (Response response = send("GET", blobUrl(token), null)) {
      assertThat(response.code()).isEqualTo(403);
    }
  }

  @Test
  void containerSasBackendListsAndReads() throws IOException {
    SasToken token = BlobSas.builder().container(CONTAINER).permissions("rl").protocol(SasProtocol.HTTPS_AND_HTTP)
        .lifetime(Duration.ofMinutes(5)).build().sign(AzuriteFixture.key(azurite));
    BlobBackend sasBackend = sasBackend(() -> token);

    assertThat(sasBackend.list(ListRequest.of(CONTAINER, "2026/"), null).objects())
        .extracting(summary -> summary.key()).containsExactly(BLOB.key());
    try (ObjectContent object = sasBackend.get(BLOB, null, null)) {
      assertThat(object.stream().readAllBytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void containerSasWithoutListRefusesListing() {
    SasToken token = BlobSas.builder().container(CONTAINER).permissions("r").protocol(SasProtocol.HTTPS_AND_HTTP)
        .lifetime(Duration.ofMinutes(5)).build().sign(AzuriteFixture.key(azurite));
    BlobBackend sasBackend = sasBackend(() -> token);

    assertThatThrownBy(() -> sasBackend.list(ListRequest.of(CONTAINER, ""), null))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.getMessage()).doesNotContain(signatureOf(token));
        });
  }

  @Test
  void accountSasGrantsReadAndRefusesWrite() throws IOException {
    SasToken token = AccountSas.builder().services(EnumSet.of(AccountSasService.BLOB))
        .resourceTypes(EnumSet.of(AccountSasResourceType.OBJECT)).permissions(EnumSet.of(AccountSasPermission.READ))
        .protocol(SasProtocol.HTTPS_AND_HTTP).lifetime(Duration.ofMinutes(5)).build().sign(AzuriteFixture.key(azurite));
    BlobBackend sasBackend = sasBackend(() -> token);

    try (ObjectContent object = sasBackend.get(BLOB, null, null)) {
      assertThat(object.stream().readAllBytes()).isEqualTo(CONTENT);
    }
    assertThatThrownBy(() -> sasBackend.put(ObjectRef.of(CONTAINER, "new.txt"), ObjectBody.ofBytes(new byte[1]), null, null))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
  }

  @Test
  void presignWithSasTokenIsRejected() {
    SasToken token = BlobSas.builder().container(CONTAINER).permissions("rwdl").protocol(SasProtocol.HTTPS_AND_HTTP)
        .lifetime(Duration.ofMinutes(30)).build().sign(AzuriteFixture.key(azurite));
    BlobBackend sasBackend = sasBackend(() -> token);

    assertThatThrownBy(() -> sasBackend.presign(new PresignRequest(BLOB, PresignRequest.Method.GET,
        Duration.ofMinutes(5))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("presignWithSasToken()")
        .hasMessageContaining(BLOB.key())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(signatureOf(token)));
  }

  @Test
  void presignWithSasTokenAllowedCarriesToken() throws IOException {
    SasToken token = BlobSas.builder().container(CONTAINER).permissions("r").protocol(SasProtocol.HTTPS_AND_HTTP)
        .lifetime(Duration.ofMinutes(5)).build().sign(AzuriteFixture.key(azurite));
    BlobBackend sasBackend = BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sasToken(() -> token).presignWithSasToken().httpClient(client).build();

    URI url = sasBackend.presign(new PresignRequest(BLOB, PresignRequest.Method.GET, Duration.ofMinutes(5)));

    assertThat(url.getRawQuery()).isEqualTo(token.token().reveal());
    try (Response response = send("GET", url.toString(), null)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().bytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void expiredAccountSasIsRefused() {
    InstantSource past = InstantSource.fixed(Instant.now().minus(Duration.ofHours(2)));
    SasToken token = AccountSas.builder().services(EnumSet.of(AccountSasService.BLOB))
        .resourceTypes(EnumSet.of(AccountSasResourceType.OBJECT)).permissions(EnumSet.of(AccountSasPermission.READ))
        .protocol(SasProtocol.HTTPS_AND_HTTP).lifetime(Duration.ofMinutes(5)).clock(past).build()
        .sign(AzuriteFixture.key(azurite));
    BlobBackend sasBackend = sasBackend(() -> SasToken.of(token.token(), null));

    assertThatThrownBy(() -> sasBackend.head(BLOB, null))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
  }

  @Test
  void presignedUrlsReadAndWrite() throws IOException {
    ObjectRef upload = ObjectRef.of(CONTAINER, "uploads/via presign.txt");
    URI put = keyBackend.presign(new PresignRequest(upload, PresignRequest.Method.PUT, Duration.ofMinutes(5)));
    URI get = keyBackend.presign(new PresignRequest(upload, PresignRequest.Method.GET, Duration.ofMinutes(5)));

    try (Response response = send("PUT", put.toString(), "uploaded".getBytes(StandardCharsets.UTF_8))) {
      assertThat(response.code()).isEqualTo(201);
    }
    try (Response response = send("GET", get.toString(), null)) {
      assertThat(response.body().string()).isEqualTo("uploaded");
    }
    try (Response response = send("DELETE", get.toString(), null)) {
      assertThat(response.code()).isEqualTo(403);
    }
  }

  private static BlobBackend sasBackend(CredentialProvider<SasToken> tokens) {
    return BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback().sasToken(tokens)
        .httpClient(client).build();
  }

  private static String blobUrl(SasToken token) {
    return azurite.blobEndpoint() + "/" + CONTAINER + "/2026/q1%20report.csv?" + token.token().reveal();
  }

  private static String signatureOf(SasToken token) {
    String query = token.token().reveal();
    return query.substring(query.indexOf("sig=") + 4);
  }

  private static Response send(String method, String url, byte[] body) throws IOException {
    Request.Builder request = new Request.Builder().url(url).header("x-ms-version", "2025-11-05");
    if (body != null) {
      request.header("x-ms-blob-type", "BlockBlob").method(method, RequestBody.create(body));
    } else {
      request.method(method, null);
    }
    return client.newCall(request.build()).execute();
  }
}
