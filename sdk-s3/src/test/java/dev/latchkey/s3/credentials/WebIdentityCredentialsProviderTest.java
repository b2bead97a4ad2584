package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.IssuedCredentials;
import dev.latchkey.testkit.OidcIssuer;
import dev.latchkey.testkit.TestSts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebIdentityCredentialsProviderTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/reports-reader";
  private static final String AUDIENCE = "sts.amazonaws.com";

  private static OidcIssuer issuer;
  private final FakeClock clock = FakeClock.at(Instant.now());
  private TestSts sts;

  @BeforeAll
  static void startIssuer() {
    issuer = OidcIssuer.builder().start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @BeforeEach
  void startSts() {
    sts = TestSts.builder()
        .clock(clock)
        .defaultLifetime(Duration.ofMinutes(20))
        .trustIssuer(issuer.issuerUrl().toString(), issuer.jwksUrl().uri(), AUDIENCE)
        .start();
  }

  @AfterEach
  void stopSts() {
    sts.close();
  }

  private String token(String audience) {
    return issuer.issueToken("billing-exporter", audience, Map.of(), Duration.ofMinutes(5));
  }

  private WebIdentityCredentialsProvider.Builder provider() {
    return WebIdentityCredentialsProvider.builder().roleArn(ROLE).endpoint(sts.endpoint()).clock(clock);
  }

  @Test
  void exchangesProviderTokenWithPolicyAndDuration() {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"}]}";
    WebIdentityCredentialsProvider provider = provider()
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of(token(AUDIENCE)), null))
        .roleSessionName("exporter-1")
        .policy(policy)
        .duration(Duration.ofMinutes(30))
        .build();

    AwsCredentials credentials = provider.fetch();

    IssuedCredentials issued = sts.find(credentials.accessKeyId()).orElseThrow();
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo(issued.secretAccessKey());
    assertThat(credentials.sessionToken().orElseThrow().reveal()).isEqualTo(issued.sessionToken());
    assertThat(credentials.expiresAt()).contains(clock.instant().plus(Duration.ofMinutes(30)));
    assertThat(issued.policy()).contains(policy);
    assertThat(issued.roleSessionName()).isEqualTo("exporter-1");
    assertThat(issued.subject()).isEqualTo("billing-exporter");
  }

  @Test
  void readsTokenFileOnEveryFetch(@TempDir Path folder) throws Exception {
    Path tokenFile = folder.resolve("token");
    Files.writeString(tokenFile, token(AUDIENCE));
    WebIdentityCredentialsProvider provider = provider().tokenFile(tokenFile).build();

    provider.fetch();
    Files.writeString(tokenFile, token("wrong-audience"));

    assertThatThrownBy(provider::fetch)
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.kind()).isEqualTo(StsException.Kind.INVALID_IDENTITY_TOKEN);
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.requestId()).isPresent();
        });
    assertThat(sts.issued()).hasSize(1);
  }

  @Test
  void namesSessionFromClockByDefault() {
    WebIdentityCredentialsProvider provider = provider()
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of(token(AUDIENCE)), null))
        .build();

    AwsCredentials credentials = provider.fetch();

    assertThat(sts.find(credentials.accessKeyId()).orElseThrow().roleSessionName())
        .isEqualTo("latchkey-" + clock.millis());
  }

  @Test
  void reportsExpiredTokenAsTypedError() {
    String token = token(AUDIENCE);
    clock.advance(Duration.ofMinutes(6));
    WebIdentityCredentialsProvider provider = provider()
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of(token), null))
        .build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.kind()).isEqualTo(StsException.Kind.EXPIRED_TOKEN);
          assertThat(e.errorCode()).isEqualTo("ExpiredTokenException");
          assertThat(e.httpStatus()).isEqualTo(400);
        })
        .hasMessageNotContaining(token);
  }

  @Test
  void reportsThrottlingAsRetryable() {
    sts.failNext(1, 400, "Throttling");
    WebIdentityCredentialsProvider provider = provider()
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of(token(AUDIENCE)), null))
        .build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.kind()).isEqualTo(StsException.Kind.THROTTLING);
          assertThat(e.isRetryable()).isTrue();
        });
    assertThat(provider.fetch().accessKeyId()).startsWith("ASIA");
  }

  @Test
  void rejectsBadOptionsBeforeAnyRequest() {
    assertThatThrownBy(() -> WebIdentityCredentialsProvider.builder().roleArn("reports-reader"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid roleArn 'reports-reader'");
    assertThatThrownBy(() -> WebIdentityCredentialsProvider.builder().duration(Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT15M");
    assertThatThrownBy(() -> WebIdentityCredentialsProvider.builder().policy("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("session policy");
    assertThatThrownBy(() -> WebIdentityCredentialsProvider.builder().endpoint(URI.create("http://sts.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use https");
    assertThatThrownBy(() -> WebIdentityCredentialsProvider.builder().roleArn(ROLE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tokenProvider(...) or tokenFile(...)");
  }

  @Test
  void reportsUnreachableEndpointAsRetryable() {
    WebIdentityCredentialsProvider provider = WebIdentityCredentialsProvider.builder()
        .roleArn(ROLE)
        .endpoint(URI.create("http://127.0.0.1:1"))
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of("unused"), null))
        .build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("AssumeRoleWithWebIdentity");
  }

  @Test
  void missingTokenFileSaysWhatToSet(@TempDir Path folder) {
    Path missing = folder.resolve("serviceaccount/token");
    WebIdentityCredentialsProvider provider = provider().tokenFile(missing).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("'" + missing + "' does not exist")
        .hasMessageContaining("AWS_WEB_IDENTITY_TOKEN_FILE")
        .hasMessageContaining("tokenFile(...)")
        .hasMessageContaining("projected service account token");
    assertThat(sts.issued()).isEmpty();
  }
}
