package dev.latchkey.azure.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.sas.AccountSas;
import dev.latchkey.azure.sas.AccountSasPermission;
import dev.latchkey.azure.sas.AccountSasResourceType;
import dev.latchkey.azure.sas.AccountSasService;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.azure.sas.SasProtocol;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.PolicyNotExpressibleException;
import dev.latchkey.policy.Resource;
import dev.latchkey.policy.SasScope;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.AzuriteUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles an access policy into SAS scopes, signs them, and shows that Azurite accepts what the
 * policy allows and rejects, with 403, what it does not.
 */
class PolicySasAzuriteTest {

  private static final String ACCOUNT = AzuriteServer.EMULATOR_ACCOUNT;
  private static final SharedKey KEY =
      SharedKey.of(ACCOUNT, SecretValue.of(AzuriteServer.EMULATOR_KEY));
  private static final MediaType TEXT = MediaType.get("text/plain");
  private static final WorkloadIdentity EXPORTER =
      new WorkloadIdentity("billing-exporter", java.util.Map.of("env", "prod"));

  private static final String POLICY = """
      {
        "version": 1,
        "roles": [
          {"name": "reports", "rules": [
            {"id": "read-2026", "effect": "ALLOW", "actions": ["READ"],
             "resources": ["azure://devstoreaccount1/reports/2026/**"]},
            {"id": "no-secrets", "effect": "DENY", "actions": ["READ"],
             "resources": ["azure://devstoreaccount1/reports/2026/secret/**"]},
            {"id": "write-draft", "effect": "ALLOW", "actions": ["READ", "WRITE"],
             "resources": ["azure://devstoreaccount1/reports/drafts/報告 100%.txt"],
             "conditions": [{"attribute": "identity.env", "equals": ["prod"]}]},
            {"id": "browse-public", "effect": "ALLOW", "actions": ["READ", "LIST"],
             "resources": ["azure://devstoreaccount1/public/**"]}
          ]}
        ],
        "bindings": [
          {"id": "exporter", "identities": ["billing-exporter"], "roles": ["reports"]}
        ]
      }
      """;

  private static AzuriteServer azurite;
  private static OkHttpClient http;
  private static AccessPolicy policy;

  @BeforeAll
  static void startAzurite() throws IOException {
    try {
      azurite = AzuriteServer.start();
    } catch (AzuriteUnavailableException e) {
      Assumptions.abort(e.getMessage());
    }
    http = new OkHttpClient();
    policy = AccessPolicy.fromJson(POLICY);
    String admin = adminSas();
    for (String container : new String[] {"reports", "public"}) {
      expect(201, put(containerUrl(container).newBuilder().addQueryParameter("restype", "container")
          .build(), admin, RequestBody.create(new byte[0])));
    }
    for (String blob : new String[] {"2026/q1.csv", "2026/secret/key.txt", "2025/old.csv"}) {
      expect(201, putBlob("reports", blob, admin, "content of " + blob));
    }
    expect(201, putBlob("public", "readme.txt", admin, "hello"));
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void blobSasReadsOnlyItsBlob() throws IOException {
    SasScope scope = policy.toSasScope(EXPORTER, blob("reports", "2026/q1.csv"));
    String sas = sign(scope);

    assertThat(scope.permissions()).isEqualTo("r");
    assertThat(status(get(blobUrl("reports", "2026/q1.csv"), sas))).isEqualTo(200);
    assertThat(status(putBlob("reports", "2026/q1.csv", sas, "overwritten"))).isEqualTo(403);
    assertThat(status(delete(blobUrl("reports", "2026/q1.csv"), sas))).isEqualTo(403);
    assertThat(status(get(blobUrl("reports", "2025/old.csv"), sas))).isEqualTo(403);
    assertThat(status(get(containerUrl("reports").newBuilder().addQueryParameter("restype", "container")
        .addQueryParameter("comp", "list").build(), sas))).isEqualTo(403);
  }

  @Test
  void deniedBlobGetsNoSas() {
    assertThatThrownBy(() -> policy.toSasScope(EXPORTER, blob("reports", "2026/secret/key.txt")))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("no action on azure://devstoreaccount1/reports/2026/secret/key.txt");
  }

  @Test
  void draftSasWritesButCannotDelete() throws IOException {
    String name = "drafts/報告 100%.txt";
    SasScope scope = policy.toSasScope(EXPORTER, blob("reports", name));
    String sas = sign(scope);

    assertThat(scope.permissions()).isEqualTo("rcw");
    assertThat(status(putBlob("reports", name, sas, "draft"))).isEqualTo(201);
    try (Response response = http.newCall(request(blobUrl("reports", name), sas).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("draft");
    }
    assertThat(status(delete(blobUrl("reports", name), sas))).isEqualTo(403);
    assertThat(status(putBlob("reports", "drafts/other.txt", sas, "x"))).isEqualTo(403);
  }

  @Test
  void identityWithoutConditionGetsLessOnSameBlob() {
    WorkloadIdentity staging = new WorkloadIdentity("billing-exporter", java.util.Map.of("env", "dev"));

    assertThatThrownBy(() -> policy.toSasScope(staging, blob("reports", "drafts/報告 100%.txt")))
        .isInstanceOf(PolicyNotExpressibleException.class);
  }

  @Test
  void containerSasListsAndReadsButCannotWrite() throws IOException {
    SasScope scope = policy.toSasScope(EXPORTER, Resource.parse("azure://devstoreaccount1/public/"));
    String sas = sign(scope);

    assertThat(scope.permissions()).isEqualTo("rl");
    HttpUrl list = containerUrl("public").newBuilder().addQueryParameter("restype", "container")
        .addQueryParameter("comp", "list").build();
    try (Response response = http.newCall(request(list, sas).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).contains("<Name>readme.txt</Name>");
    }
    assertThat(status(get(blobUrl("public", "readme.txt"), sas))).isEqualTo(200);
    assertThat(status(putBlob("public", "new.txt", sas, "x"))).isEqualTo(403);
    assertThat(status(delete(blobUrl("public", "readme.txt"), sas))).isEqualTo(403);
    assertThat(status(get(blobUrl("reports", "2026/q1.csv"), sas))).isEqualTo(403);
  }

  @Test
  void containerWithDenyInsideGetsNoSas() {
    assertThatThrownBy(() -> policy.toSasScope(EXPORTER,
        Resource.parse("azure://devstoreaccount1/reports/")))
        .isInstanceOf(PolicyNotExpressibleException.class)
        .hasMessageContaining("no action on every blob of azure://devstoreaccount1/reports/");
  }

  /** Signs a service SAS for the scope, as the Azure module does for a policy-scoped credential. */
  private static String sign(SasScope scope) {
    BlobSas.Builder sas = BlobSas.builder().permissions(scope.permissions())
        .lifetime(Duration.ofMinutes(10)).protocol(SasProtocol.HTTPS_AND_HTTP);
    if (scope.isContainer()) {
      sas.container(scope.container());
    } else {
      sas.blob(scope.container(), scope.blobName());
    }
    assertThat(scope.account()).isEqualTo(ACCOUNT);
    return sas.build().sign(KEY).token().reveal();
  }

  private static String adminSas() {
    SasToken token = AccountSas.builder()
        .services(EnumSet.of(AccountSasService.BLOB))
        .resourceTypes(EnumSet.allOf(AccountSasResourceType.class))
        .permissions(EnumSet.of(AccountSasPermission.READ, AccountSasPermission.WRITE,
            AccountSasPermission.CREATE, AccountSasPermission.LIST, AccountSasPermission.DELETE))
        .lifetime(Duration.ofMinutes(10)).protocol(SasProtocol.HTTPS_AND_HTTP)
        .build().sign(KEY);
    return token.token().reveal();
  }

  private static Resource blob(String container, String name) {
    return Resource.azure(ACCOUNT, container, name);
  }

  private static HttpUrl containerUrl(String container) {
    return HttpUrl.get(azurite.blobEndpoint().toString()).newBuilder().addPathSegment(container).build();
  }

  private static HttpUrl blobUrl(String container, String blob) {
    return containerUrl(container).newBuilder().addPathSegments(blob).build();
  }

  private static Request.Builder request(HttpUrl url, String sas) {
    HttpUrl signed = url.newBuilder().encodedQuery(join(url.encodedQuery(), sas)).build();
    return new Request.Builder().url(signed).header("x-ms-version", "2025-11-05");
  }

  private static String join(String query, String sas) {
    return query == null ? sas : query + "&" + sas;
  }

  private static Response get(HttpUrl url, String sas) throws IOException {
    return http.newCall(request(url, sas).build()).execute();
  }

  private static Response delete(HttpUrl url, String sas) throws IOException {
    return http.newCall(request(url, sas).delete().build()).execute();
  }

  private static Response put(HttpUrl url, String sas, RequestBody body) throws IOException {
    return http.newCall(request(url, sas).put(body).build()).execute();
  }

  private static Response putBlob(String container, String blob, String sas, String content)
      throws IOException {
    Request request = request(blobUrl(container, blob), sas)
        .header("x-ms-blob-type", "BlockBlob")
        .put(RequestBody.create(content, TEXT))
        .build();
    return http.newCall(request).execute();
  }

  private static int status(Response response) {
    try (response) {
      return response.code();
    }
  }

  private static void expect(int code, Response response) throws IOException {
    try (response) {
      if (response.code() != code) {
        throw new IllegalStateException("Azurite setup request " + response.request().method() + " "
            + response.request().url().encodedPath() + " returned " + response.code() + ": "
            + response.body().string());
      }
    }
  }
}
