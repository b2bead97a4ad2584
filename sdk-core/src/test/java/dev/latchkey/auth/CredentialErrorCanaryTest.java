package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.okhttp.LatchkeyInterceptor;
import dev.latchkey.okhttp.RequestClassifier;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.testing.Canaries;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error paths with canary client secrets, private_key_jwt keys and API keys in play: rejected token
 * requests, invalid configuration and a gateway that rejects the API key. Every exception is
 * recorded, so the scan of the suite's output searches its message, causes and stack trace. That
 * scan also searches the log lines and the audit file these tests write.
 */
class CredentialErrorCanaryTest {

  private static final String CLIENT_SECRET = Canaries.secret("client-secret-post");
  private static final String API_KEY = Canaries.secret("api-key");

  private final MockWebServer server = new MockWebServer();
  private final List<Throwable> failures = new ArrayList<>();

  @TempDir
  Path directory;

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void checkFailures() {
    server.close();
    for (Throwable failure : failures) {
      Canaries.recordException(failure);
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(Canaries.MARKER);
      }
    }
  }

  @Test
  void rejectedClientSecretHidesSecret() {
    server.enqueue(jsonError(401, "invalid_client"));
    ClientCredentialsProvider provider = ClientCredentialsProvider.builder()
        .tokenEndpoint(TokenEndpoint.builder().uri(server.url("/token").uri())
            .clientAuthentication(ClientAuthentication.clientSecretPost("exporter", SecretValue.of(CLIENT_SECRET)))
            .build())
        .build();

    failures.add(catchThrowable(provider::fetch));

    assertThat(failures.get(0)).isInstanceOf(OAuthErrorException.class);
  }

  @Test
  void rejectedPrivateKeyJwtHidesKey() {
    recordPrivateKey(TestKeys.RSA.getPrivate().getEncoded());
    SigningKey signingKey = SigningKey.builder().algorithm(JwsAlgorithm.RS256).privateKey(TestKeys.RSA.getPrivate())
        .keyId("canary-key").build();
    server.enqueue(jsonError(400, "invalid_client"));
    ClientCredentialsProvider provider = ClientCredentialsProvider.builder()
        .tokenEndpoint(TokenEndpoint.builder().uri(server.url("/token").uri())
            .clientAuthentication(ClientAuthentication.privateKeyJwt("exporter", signingKey)).build())
        .build();

    failures.add(catchThrowable(provider::fetch));

    assertThat(failures.get(0)).isInstanceOf(OAuthErrorException.class);
    assertThat(signingKey.toString()).doesNotContain(Canaries.MARKER);
  }

  @Test
  void invalidApiKeySourcesHideKey() throws IOException {
    Path file = directory.resolve("api-key");
    Files.writeString(file, "  \n");

    failures.add(catchThrowable(() -> ApiKeyProvider.builder().file(file).build().fetch()));
    failures.add(catchThrowable(() -> ApiKeyProvider.builder().value(SecretValue.of(API_KEY))
        .environmentVariable("REPORTS_API_KEY").build()));
    ApiKeyProvider fromEnvironment = ApiKeyProvider.builder().environmentVariable("REPORTS_API_KEY")
        .environment(Map.of("REPORTS_API_KEY", API_KEY)).build();

    assertThat(fromEnvironment.fetch().toString()).doesNotContain(Canaries.MARKER);
    assertThat(fromEnvironment.toString()).doesNotContain(Canaries.MARKER);
    assertThat(failures).hasSize(2).doesNotContainNull();
  }

  @Test
  void rejectedQueryApiKeyStaysHidden() throws Exception {
    server.enqueue(new MockResponse.Builder().code(403).body("{\"message\":\"invalid api_key\"}").build());
    Path auditFile = directory.resolve("gateway-audit.jsonl");
    AccessPolicy policy = AccessPolicy.builder()
        .role(Role.builder().name("reader").rule(Rule.allow("read").actions(Action.READ)
            .resources("gateway://reports/**")).build())
        .binding(Binding.builder().id("b").identities("report-reader").roles("reader").build())
        .build();

    try (CredentialCache<ApiKey> keys = CredentialCache.builder(() -> ApiKey.of(SecretValue.of(API_KEY))).build();
        JsonLinesAuditSink audit = JsonLinesAuditSink.builder(auditFile).build()) {
      LatchkeyInterceptor<ApiKey> interceptor = LatchkeyInterceptor.<ApiKey>builder()
          .identity(WorkloadIdentity.of("report-reader"))
          .credentials(keys)
          .signer(ApiKeySigner.builder().queryParameter("api_key").build())
          .classifier(RequestClassifier.restPaths("gateway"))
          .policy(policy)
          .auditSink(audit)
          .build();
      OkHttpClient http = new OkHttpClient.Builder().addInterceptor(interceptor).build();

      try (Response response = http.newCall(new Request.Builder().url(server.url("/reports/q1.csv")).build()).execute()) {
        assertThat(response.code()).isEqualTo(403);
      }
    }

    assertThat(server.takeRequest().getUrl().queryParameter("api_key")).isEqualTo(API_KEY);
    assertThat(Files.readString(auditFile)).contains("\"http.response.status_code\":403").doesNotContain(Canaries.MARKER);
  }

  /**
   * Lists a private key in Base64 and each full 64-character line of its PEM form but the first,
   * which starts with the ASN.1 header every RSA key of this size shares.
   */
  private static void recordPrivateKey(byte[] pkcs8) {
    Canaries.record(Base64.getEncoder().encodeToString(pkcs8));
    List<String> pemLines = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8).lines().toList();
    pemLines.stream().skip(1).filter(line -> line.length() == 64).forEach(Canaries::record);
  }

  private static MockResponse jsonError(int code, String error) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body("{\"error\":\"" + error + "\",\"error_description\":\"client authentication failed\"}").build();
  }
}
