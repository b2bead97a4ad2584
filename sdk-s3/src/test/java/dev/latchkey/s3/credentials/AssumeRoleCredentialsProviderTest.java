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
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

class AssumeRoleCredentialsProviderTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/reports-writer";
  private static final String ROOT_ID = "AKIDROOTEXAMPLE";
  private static final String ROOT_SECRET = "root-secret-access-key";

  private final FakeClock clock = FakeClock.at(Instant.now());
  private final TestSts sts = TestSts.builder()
      .clock(clock)
      .defaultLifetime(Duration.ofMinutes(20))
      .rootKey(ROOT_ID, ROOT_SECRET)
      .start();

  @AfterEach
  void stopSts() {
    sts.close();
  }

  private AssumeRoleCredentialsProvider.Builder provider(AwsCredentials base) {
    return AssumeRoleCredentialsProvider.builder()
        .baseCredentials(() -> base)
        .roleArn(ROLE)
        .endpoint(sts.endpoint())
        .clock(clock);
  }

  @Test
  void assumesRoleWithRootKey() {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::reports/out/*\"}]}";

    AwsCredentials credentials = provider(AwsCredentials.of(ROOT_ID, SecretValue.of(ROOT_SECRET)))
        .roleSessionName("nightly-export")
        .externalId("partner-7f3a")
        .policy(policy)
        .duration(Duration.ofMinutes(15))
        .build()
        .fetch();

    IssuedCredentials issued = sts.find(credentials.accessKeyId()).orElseThrow();
    assertThat(issued.action()).isEqualTo("AssumeRole");
    assertThat(issued.subject()).isEqualTo(ROOT_ID);
    assertThat(issued.roleSessionName()).isEqualTo("nightly-export");
    assertThat(issued.policy()).contains(policy);
    assertThat(credentials.expiresAt()).contains(clock.instant().plus(Duration.ofMinutes(15)));
  }

  @Test
  void chainsFromWebIdentityCredentials() {
    try (OidcIssuer issuer = OidcIssuer.builder().start();
        TestSts federated = TestSts.builder()
            .clock(clock)
            .trustIssuer(issuer.issuerUrl().toString(), issuer.jwksUrl().uri(), "sts.amazonaws.com")
            .start()) {
      WebIdentityCredentialsProvider webIdentity = WebIdentityCredentialsProvider.builder()
          .roleArn("arn:aws:iam::123456789012:role/federated")
          .endpoint(federated.endpoint())
          .tokenProvider(() -> AccessToken.bearer(SecretValue.of(
              issuer.issueToken("ci-runner", "sts.amazonaws.com", Map.of(), Duration.ofMinutes(5))), null))
          .build();
      // The second STS trusts nothing but the keys the first one issued, passed in as root keys.
      AwsCredentials first = webIdentity.fetch();
      IssuedCredentials firstIssued = federated.find(first.accessKeyId()).orElseThrow();
      try (TestSts second = TestSts.builder().clock(clock)
          .rootKey(firstIssued.accessKeyId(), firstIssued.secretAccessKey()).start()) {

        AwsCredentials chained = AssumeRoleCredentialsProvider.builder()
            .baseCredentials(() -> first)
            .roleArn(ROLE)
            .endpoint(second.endpoint())
            .build()
            .fetch();

        assertThat(second.find(chained.accessKeyId()).orElseThrow().subject()).isEqualTo(first.accessKeyId());
      }
    }
  }

  @Test
  void reportsExpiredBaseCredentialsAsTypedError() {
    AwsCredentials root = AwsCredentials.of(ROOT_ID, SecretValue.of(ROOT_SECRET));
    AwsCredentials first = provider(root).build().fetch();
    clock.advance(Duration.ofMinutes(21));

    assertThatThrownBy(() -> provider(first).build().fetch())
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.kind()).isEqualTo(StsException.Kind.EXPIRED_TOKEN);
          assertThat(e.isRetryable()).isFalse();
        });
  }

  @Test
  void reportsUnknownKeyAndPropagatesBaseFailure() {
    assertThatThrownBy(() -> provider(AwsCredentials.of("AKIDUNKNOWN", SecretValue.of("x"))).build().fetch())
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("InvalidClientTokenId");
          assertThat(e.httpStatus()).isEqualTo(403);
        });

    CredentialException baseFailure = new CredentialException("base source is down", true);
    AssumeRoleCredentialsProvider failing = AssumeRoleCredentialsProvider.builder()
        .baseCredentials(() -> {
          throw baseFailure;
        })
        .roleArn(ROLE)
        .endpoint(sts.endpoint())
        .build();
    assertThatThrownBy(failing::fetch).isSameAs(baseFailure);
    assertThat(sts.issued()).isEmpty();
  }

  @Test
  void signatureMatchesAwsSdkSigner() throws IOException, InterruptedException {
    Instant signingTime = Instant.parse("2026-03-01T10:15:30Z");
    AwsCredentials base = AwsCredentials.builder()
        .accessKeyId("ASIABASEEXAMPLE")
        .secretAccessKey(SecretValue.of("base-secret"))
        .sessionToken(SecretValue.of("base-session-token"))
        .build();
    RecordedRequest recorded;
    URI endpoint;
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(new MockResponse.Builder().code(403)
          .body("<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>").build());
      endpoint = server.url("/").uri();
      AssumeRoleCredentialsProvider provider = AssumeRoleCredentialsProvider.builder()
          .baseCredentials(() -> base)
          .roleArn(ROLE)
          .roleSessionName("signed")
          .region("eu-west-1")
          .endpoint(endpoint)
          .clock(FakeClock.at(signingTime))
          .build();

      assertThatThrownBy(provider::fetch).isInstanceOf(StsException.class);
      recorded = server.takeRequest();
    }

    String authorization = recorded.getHeaders().get("Authorization");
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=ASIABASEEXAMPLE/20260301/eu-west-1/sts/aws4_request");
    assertThat(recorded.getHeaders().get("X-Amz-Security-Token")).isEqualTo("base-session-token");
    String expected = awsSdkAuthorization(recorded, endpoint, signingTime);
    assertThat(authorization.replaceAll("Signature=.*", "")).isEqualTo(expected.replaceAll("Signature=.*", ""));
    assertThat(signature(authorization)).isEqualTo(signature(expected));
  }

  private static String awsSdkAuthorization(RecordedRequest recorded, URI endpoint, Instant signingTime) {
    String body = recorded.getBody().string(StandardCharsets.UTF_8);
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .putHeader("Content-Type", recorded.getHeaders().get("Content-Type"))
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsSessionCredentialsIdentity.create("ASIABASEEXAMPLE", "base-secret", "base-session-token"))
        .request(request)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signingTime, ZoneOffset.UTC)));
    String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(ZonedDateTime.ofInstant(signingTime, ZoneOffset.UTC));
    assertThat(signed.request().firstMatchingHeader("X-Amz-Date")).contains(amzDate);
    return signed.request().firstMatchingHeader("Authorization").orElseThrow();
  }

  private static String signature(String authorization) {
    return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
  }

  @Test
  void rejectsMissingOptions() {
    assertThatThrownBy(() -> AssumeRoleCredentialsProvider.builder().roleArn(ROLE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("baseCredentials(...)");
    assertThatThrownBy(() -> AssumeRoleCredentialsProvider.builder().externalId("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("externalId");
  }
}
