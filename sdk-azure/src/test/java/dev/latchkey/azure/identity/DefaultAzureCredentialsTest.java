package dev.latchkey.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.testing.EntraTestIssuer;
import dev.latchkey.azure.testing.ImdsDispatcher;
import dev.latchkey.azure.testing.JwtParts;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.providers.CredentialChainException;
import dev.latchkey.credentials.providers.ProviderOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultAzureCredentialsTest {

  private static final String TENANT = "contoso.onmicrosoft.com";
  private static final String CLIENT = "3f2a1b0c-1111-2222-3333-444455556666";

  private static EntraTestIssuer issuer;

  @TempDir
  Path folder;

  @BeforeAll
  static void startIssuer() {
    issuer = EntraTestIssuer.start(TENANT, Duration.ofHours(1));
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void offAzureEverySourceIsNotConfigured() throws IOException {
    CredentialProvider<AccessToken> chain = DefaultAzureCredentials.builder()
        .environment(Map.of())
        .imdsEndpoint(closedImdsPort())
        .build();

    assertThatThrownBy(chain::fetch)
        .isInstanceOfSatisfying(CredentialChainException.class, failure -> {
          assertThat(failure.isNotConfigured()).isTrue();
          assertThat(failure.outcomes()).extracting(ProviderOutcome::providerName)
              .containsExactly("environment", "entra-workload-identity", "managed-identity-imds");
          assertThat(failure.getMessage()).contains("AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE",
              "not an Azure VM");
        });
  }

  @Test
  void environmentSecretComesFirst() throws IOException {
    Map<String, String> env = authority();
    env.putAll(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT, "AZURE_CLIENT_SECRET", "s3cret",
        "AZURE_FEDERATED_TOKEN_FILE", folder.resolve("unused").toString()));

    AccessToken token = DefaultAzureCredentials.builder().environment(env).imdsEndpoint(closedImdsPort())
        .build().fetch();

    assertThat(issuer.takeForm()).containsEntry("client_secret", "s3cret");
    assertThat(JwtParts.decode(token.token().reveal()).claims()).containsEntry("iss", issuer.stsIssuer());
  }

  @Test
  void workloadIdentityComesBeforeManagedIdentity() throws IOException {
    Path tokenFile = Files.writeString(folder.resolve("token"), issuer.issueToken(CLIENT, "api://AzureADTokenExchange"));
    Map<String, String> env = authority();
    env.putAll(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
        "AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString()));

    DefaultAzureCredentials.builder().environment(env).imdsEndpoint(closedImdsPort()).build().fetch();

    assertThat(issuer.takeForm()).containsKey("client_assertion").containsEntry("client_id", CLIENT);
  }

  @Test
  void missingFederatedTokenFileSaysWhatToSet() {
    Path missing = folder.resolve("azure-identity-token");
    Map<String, String> env = authority();
    env.putAll(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
        "AZURE_FEDERATED_TOKEN_FILE", missing.toString()));
    CredentialProvider<AccessToken> provider = WorkloadIdentityCredentials.builder().environment(env).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("Federated token file " + missing + " does not exist")
        .hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE names it")
        .hasMessageContaining("projected service account token");
  }

  @Test
  void missingTokenFileNamesBuilderSetting() {
    Path missing = folder.resolve("token");
    CredentialProvider<AccessToken> provider = WorkloadIdentityCredentials.builder()
        .environment(authority()).tenantId(TENANT).clientId(CLIENT).tokenFile(missing).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("tokenFile(...) names it");
  }

  @Test
  void managedIdentityUsesAzureClientId() throws Exception {
    try (MockWebServer imds = new MockWebServer()) {
      imds.setDispatcher(new ImdsDispatcher());
      imds.enqueue(new MockResponse.Builder()
          .body("{\"access_token\":\"mi-token\",\"expires_in\":\"3599\",\"token_type\":\"Bearer\"}").build());
      imds.start(InetAddress.getLoopbackAddress(), 0);

      AccessToken token = DefaultAzureCredentials.builder()
          .environment(Map.of("AZURE_CLIENT_ID", CLIENT))
          .imdsEndpoint(URI.create(imds.url(ImdsDispatcher.TOKEN_PATH).toString()))
          .build().fetch();

      imds.takeRequest(1, TimeUnit.SECONDS);
      RecordedRequest request = imds.takeRequest(1, TimeUnit.SECONDS);
      assertThat(token.token().reveal()).isEqualTo("mi-token");
      assertThat(request.getUrl().queryParameter("client_id")).isEqualTo(CLIENT);
    }
  }

  @Test
  void certificatePathFromEnvironmentIsUsed() throws Exception {
    Map<String, String> env = authority();
    env.putAll(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
        "AZURE_CLIENT_CERTIFICATE_PATH", certificate("client.pfx").toString(),
        "AZURE_CLIENT_CERTIFICATE_PASSWORD", "test-password"));

    EnvironmentCredentials.builder().environment(env).build().fetch();

    JwtParts assertion = JwtParts.decode(issuer.takeForm().get("client_assertion"));
    assertThat(assertion.header()).containsEntry("alg", "PS256").containsKey("x5t#S256");
  }

  @Test
  void environmentWithoutIdsIsNotConfigured() {
    CredentialProvider<AccessToken> provider = EnvironmentCredentials.builder()
        .environment(Map.of("AZURE_CLIENT_SECRET", "s3cret")).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("AZURE_TENANT_ID and AZURE_CLIENT_ID are not set")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void invalidEnvironmentValueFailsAtBuild() {
    Map<String, String> env = Map.of("AZURE_TENANT_ID", "organizations", "AZURE_CLIENT_ID", CLIENT,
        "AZURE_CLIENT_SECRET", "s3cret");

    assertThatIllegalStateException()
        .isThrownBy(() -> DefaultAzureCredentials.builder().environment(env).build())
        .withMessageContaining("AZURE_TENANT_ID 'organizations'");
  }

  private static Map<String, String> authority() {
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_AUTHORITY_HOST", issuer.authorityHost().toString());
    return env;
  }

  private static URI closedImdsPort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + "/metadata/identity/oauth2/token");
  }

  private static Path certificate(String name) throws URISyntaxException {
    return Path.of(DefaultAzureCredentialsTest.class.getResource("/certificates/" + name).toURI());
  }
}
