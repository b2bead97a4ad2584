package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// No ECS or EKS agent runs here, so MockWebServer plays the container endpoint.
class ContainerCredentialsProviderTest {

  private static final String DOCUMENT = """
      {"AccessKeyId":"ASIACONTAINER","Expiration":"2026-01-01T06:00:00Z",
       "RoleArn":"arn:aws:iam::123456789012:role/task","SecretAccessKey":"c-secret","Token":"c-token"}
      """;

  private final MockWebServer server = new MockWebServer();
  private final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void startServer() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private ContainerCredentialsProvider provider() {
    return ContainerCredentialsProvider.builder()
        .environment(environment)
        .relativeBase(server.url("/").uri())
        .retryBackoff(Duration.ZERO)
        .build();
  }

  @Test
  void fetchesFromRelativeUri() throws InterruptedException {
    environment.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-id");
    environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "static-auth");
    server.enqueue(new MockResponse.Builder().body(DOCUMENT).build());

    AwsCredentials credentials = provider().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIACONTAINER");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2026-01-01T06:00:00Z"));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getTarget()).isEqualTo("/v2/credentials/task-id");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("static-auth");
  }

  @Test
  void readsTokenFileOnEveryFetch(@TempDir Path folder) throws Exception {
    Path tokenFile = folder.resolve("eks-pod-identity-token");
    Files.writeString(tokenFile, "first-token\n");
    environment.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/v1/credentials").toString());
    environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
    environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-file-set");
    server.enqueue(new MockResponse.Builder().body(DOCUMENT).build());
    server.enqueue(new MockResponse.Builder().body(DOCUMENT).build());
    ContainerCredentialsProvider provider = provider();

    provider.fetch();
    Files.writeString(tokenFile, "second-token");
    provider.fetch();

    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("first-token");
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("second-token");
  }

  @Test
  void retriesServerErrors() {
    environment.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(429).build());
    server.enqueue(new MockResponse.Builder().body(DOCUMENT).build());

    assertThat(provider().fetch().accessKeyId()).isEqualTo("ASIACONTAINER");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void rejectsFullUriOnOtherHostOverHttp() {
    environment.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://credentials.example.com/v1");

    assertThatThrownBy(() -> provider().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .hasMessageContaining("169.254.170.2");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void reportsNotConfiguredWithoutVariables() {
    assertThatThrownBy(() -> provider().fetch()).isInstanceOf(CredentialNotConfiguredException.class);
  }

  @Test
  void reportsClientErrorAsNotRetryable() {
    environment.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
    server.enqueue(new MockResponse.Builder().code(403).body("{\"message\":\"no\"}").build());

    assertThatThrownBy(() -> provider().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("HTTP 403")
        .satisfies(e -> assertThat(((CredentialException) e).isRetryable()).isFalse());
  }
}
