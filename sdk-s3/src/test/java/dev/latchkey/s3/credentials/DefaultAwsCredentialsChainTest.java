package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.providers.CredentialChainException;
import dev.latchkey.credentials.providers.CredentialProviderChain;
import dev.latchkey.credentials.providers.ProviderOutcome;
import dev.latchkey.testkit.OidcIssuer;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultAwsCredentialsChainTest {

  @TempDir
  Path folder;

  private final Map<String, String> environment = new HashMap<>();
  private URI closedEndpoint;

  @BeforeEach
  void findClosedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedEndpoint = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  private DefaultAwsCredentialsChain.Builder chain() {
    return DefaultAwsCredentialsChain.builder()
        .environment(environment)
        .credentialsFile(folder.resolve("credentials"))
        .configFile(folder.resolve("config"))
        .instanceMetadataEndpoint(closedEndpoint);
  }

  @Test
  void listsEveryOutcomeWhenNothingIsConfigured() {
    CredentialProviderChain<AwsCredentials> chain = chain().build();

    assertThatThrownBy(chain::fetch).isInstanceOfSatisfying(CredentialChainException.class, e -> {
      assertThat(e.isNotConfigured()).isTrue();
      assertThat(e.outcomes()).extracting(ProviderOutcome::providerName).containsExactly(
          "environment", "sts-web-identity-environment", "profile:default", "container", "instance-metadata");
      assertThat(e.outcomes()).extracting(ProviderOutcome::status)
          .containsOnly(ProviderOutcome.Status.NOT_CONFIGURED);
    });
  }

  @Test
  void environmentWinsOverProfile() throws IOException {
    Files.writeString(folder.resolve("credentials"), "[default]\naws_access_key_id=AKIDPROFILE\naws_secret_access_key=p\n");
    environment.put("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT");
    environment.put("AWS_SECRET_ACCESS_KEY", "e");

    assertThat(chain().build().fetch().accessKeyId()).isEqualTo("AKIDENVIRONMENT");
    environment.clear();
    assertThat(chain().build().fetch().accessKeyId()).isEqualTo("AKIDPROFILE");
  }

  @Test
  void usesWebIdentityVariables() throws IOException {
    try (OidcIssuer issuer = OidcIssuer.builder().start();
        TestSts sts = TestSts.builder()
            .trustIssuer(issuer.issuerUrl().toString(), issuer.jwksUrl().uri(), "sts.amazonaws.com")
            .start()) {
      Path tokenFile = folder.resolve("token");
      Files.writeString(tokenFile, issuer.issueToken("pod", "sts.amazonaws.com", Map.of(), Duration.ofMinutes(5)));
      environment.put("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString());
      environment.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod-role");
      environment.put("AWS_ROLE_SESSION_NAME", "pod-session");

      AwsCredentials credentials = chain().stsEndpoint(sts.endpoint()).build().fetch();

      assertThat(sts.find(credentials.accessKeyId()).orElseThrow().roleSessionName()).isEqualTo("pod-session");
    }
  }

  @Test
  void reportsFailedSourceWithReason() throws IOException {
    environment.put("AWS_ACCESS_KEY_ID", "AKIDONLYHALF");

    assertThatThrownBy(() -> chain().build().fetch()).isInstanceOfSatisfying(CredentialChainException.class, e -> {
      assertThat(e.isNotConfigured()).isFalse();
      ProviderOutcome environmentOutcome = e.outcomes().get(0);
      assertThat(environmentOutcome.status()).isEqualTo(ProviderOutcome.Status.FAILED);
      assertThat(environmentOutcome.reason()).contains("AWS_SECRET_ACCESS_KEY");
    });
  }
}
