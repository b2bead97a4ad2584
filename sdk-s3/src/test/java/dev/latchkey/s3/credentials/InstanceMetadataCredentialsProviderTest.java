package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// No real IMDS runs outside EC2, so MockWebServer plays it with the documented request sequence.
class InstanceMetadataCredentialsProviderTest {

  private static final String DOCUMENT = """
      {"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC",
       "AccessKeyId":"ASIAIMDSEXAMPLE","SecretAccessKey":"imds-secret","Token":"imds-token",
       "Expiration":"2026-01-01T06:00:00Z"}
      """;

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void startServer() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private InstanceMetadataCredentialsProvider provider() {
    return InstanceMetadataCredentialsProvider.builder()
        .endpoint(server.url("/").uri())
        .environment(Map.of())
        .tokenTtl(Duration.ofMinutes(5))
        .retryBackoff(Duration.ZERO)
        .build();
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).body(body).build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("").build();
  }

  @Test
  void fetchesRoleCredentialsWithSessionToken() throws InterruptedException {
    server.enqueue(ok("imds-session"));
    server.enqueue(ok("web-role\n"));
    server.enqueue(ok(DOCUMENT));

    AwsCredentials credentials = provider().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAIMDSEXAMPLE");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2026-01-01T06:00:00Z"));
    RecordedRequest token = server.takeRequest();
    assertThat(token.getMethod()).isEqualTo("PUT");
    assertThat(token.getTarget()).isEqualTo("/latest/api/token");
    assertThat(token.getHeaders().get("X-aws-ec2-metadata-token-ttl-seconds")).isEqualTo("300");
    RecordedRequest listing = server.takeRequest();
    assertThat(listing.getTarget()).isEqualTo("/latest/meta-data/iam/security-credentials/");
    assertThat(listing.getHeaders().get("X-aws-ec2-metadata-token")).isEqualTo("imds-session");
    RecordedRequest role = server.takeRequest();
    assertThat(role.getTarget()).isEqualTo("/latest/meta-data/iam/security-credentials/web-role");
    assertThat(role.getHeaders().get("X-aws-ec2-metadata-token")).isEqualTo("imds-session");
  }

  @Test
  void retriesThrottlingAndServerErrors() {
    server.enqueue(status(429));
    server.enqueue(ok("imds-session"));
    server.enqueue(status(503));
    server.enqueue(ok("web-role"));
    server.enqueue(status(500));
    server.enqueue(ok(DOCUMENT));

    AwsCredentials credentials = provider().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAIMDSEXAMPLE");
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void failsRetryablyAfterLastAttempt() {
    server.enqueue(ok("imds-session"));
    server.enqueue(status(503));
    server.enqueue(status(503));
    server.enqueue(status(503));

    assertThatThrownBy(() -> provider().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("HTTP 503")
        .satisfies(e -> assertThat(((CredentialException) e).isRetryable()).isTrue());
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void reportsNotConfiguredWhenNothingListens() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    InstanceMetadataCredentialsProvider provider = InstanceMetadataCredentialsProvider.builder()
        .endpoint(URI.create("http://127.0.0.1:" + closedPort))
        .environment(Map.of())
        .build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("not an EC2 instance");
  }

  @Test
  void reportsNotConfiguredWithoutRole() {
    server.enqueue(ok("imds-session"));
    server.enqueue(status(404));

    assertThatThrownBy(() -> provider().fetch())
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("no IAM role");
  }

  @Test
  void honoursDisabledVariable() {
    InstanceMetadataCredentialsProvider provider = InstanceMetadataCredentialsProvider.builder()
        .endpoint(server.url("/").uri())
        .environment(Map.of("AWS_EC2_METADATA_DISABLED", "TRUE"))
        .build();

    assertThatThrownBy(provider::fetch).isInstanceOf(CredentialNotConfiguredException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void readsEndpointFromEnvironment() {
    server.enqueue(ok("imds-session"));
    server.enqueue(ok("web-role"));
    server.enqueue(ok(DOCUMENT));
    InstanceMetadataCredentialsProvider provider = InstanceMetadataCredentialsProvider.builder()
        .environment(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/").toString()))
        .build();

    assertThat(provider.fetch().accessKeyId()).isEqualTo("ASIAIMDSEXAMPLE");
  }

  @Test
  void rejectsPlainHttpToOtherHosts() {
    assertThatThrownBy(() -> InstanceMetadataCredentialsProvider.builder()
            .endpoint(URI.create("http://metadata.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("169.254.169.254");
    assertThatThrownBy(() -> InstanceMetadataCredentialsProvider.builder().tokenTtl(Duration.ofHours(7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokenTtl");
  }
}
