package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.testkit.Canary;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.IssuedCredentials;
import dev.latchkey.testkit.OidcIssuer;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error paths of every AWS credential source with canary secret keys, session tokens, web identity
 * tokens and metadata tokens in play: invalid configuration, malformed responses, rejected and
 * expired keys. Each exception is recorded, so the scan of the suite's output searches its message,
 * causes and stack trace. The log lines of these failures land in the searched output too.
 */
class AwsCredentialErrorCanaryTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/reports-writer";
  private static final String SECRET_KEY = Canary.secret("aws-secret-key");
  private static final String SESSION_TOKEN = Canary.secret("aws-session-token");

  private static OidcIssuer issuer;

  private final FakeClock clock = FakeClock.at(Instant.now());
  private final MockWebServer server = new MockWebServer();
  private final List<Throwable> failures = new ArrayList<>();
  private TestSts sts;

  @TempDir
  Path folder;

  @BeforeAll
  static void startIssuer() {
    issuer = OidcIssuer.builder().start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    sts = TestSts.builder().clock(clock).defaultLifetime(Duration.ofMinutes(20))
        .rootKey("AKIDCANARYROOT", Canary.secret("sts-root-key"))
        .trustIssuer(issuer.issuerUrl().toString(), issuer.jwksUrl().uri(), "sts.amazonaws.com")
        .start();
  }

  @AfterEach
  void checkFailures() {
    for (IssuedCredentials issued : sts.issued()) {
      Canary.record(issued.secretAccessKey(), issued.sessionToken());
    }
    sts.close();
    server.close();
    assertThat(failures).isNotEmpty().doesNotContainNull();
    for (Throwable failure : failures) {
      Canary.recordException(failure);
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(Canary.MARKER);
      }
    }
  }

  @Test
  void environmentWithoutKeyIdHidesSecret() {
    Map<String, String> environment = Map.of("AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN);

    failures.add(catchThrowable(() -> EnvironmentCredentialsProvider.builder().environment(environment).build().fetch()));
  }

  @Test
  void brokenProfileHidesSecret() throws IOException {
    Path credentials = folder.resolve("credentials");
    Files.writeString(credentials, "[default]\naws_secret_access_key = " + SECRET_KEY + "\naws_session_token = "
        + SESSION_TOKEN + "\n[broken\naws_access_key_id = " + SECRET_KEY + "\n");
    Path config = folder.resolve("config");
    Files.writeString(config, "");

    failures.add(catchThrowable(() -> ProfileCredentialsProvider.builder().credentialsFile(credentials)
        .configFile(config).environment(Map.of()).build().fetch()));
  }

  @Test
  void malformedContainerResponseHidesSecrets() {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-id");
    environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", Canary.secret("container-authorization"));
    server.enqueue(new MockResponse.Builder().code(401).body("rejected").build());
    server.enqueue(new MockResponse.Builder().body("{\"AccessKeyId\":\"ASIACANARY\",\"SecretAccessKey\":\""
        + SECRET_KEY + "\",\"Token\":\"" + SESSION_TOKEN + "\",\"Expiration\":\"not a time\"}").build());
    ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder().environment(environment)
        .relativeBase(server.url("/").uri()).retryBackoff(Duration.ZERO).build();

    failures.add(catchThrowable(provider::fetch));
    failures.add(catchThrowable(provider::fetch));
  }

  @Test
  void malformedInstanceMetadataHidesTokens() {
    String sessionToken = Canary.secret("imds-session-token");
    server.enqueue(new MockResponse.Builder().body(sessionToken).build());
    server.enqueue(new MockResponse.Builder().body("web-role\n").build());
    server.enqueue(new MockResponse.Builder().body("{\"Code\":\"Success\",\"AccessKeyId\":\"ASIACANARY\","
        + "\"SecretAccessKey\":\"" + SECRET_KEY + "\",\"Token\":\"" + SESSION_TOKEN + "\"").build());
    InstanceMetadataCredentialsProvider provider = InstanceMetadataCredentialsProvider.builder()
        .endpoint(server.url("/").uri()).environment(Map.of()).tokenTtl(Duration.ofMinutes(5))
        .retryBackoff(Duration.ZERO).build();

    failures.add(catchThrowable(provider::fetch));
  }

  @Test
  void rejectedAndExpiredBaseKeysHideSecrets() {
    AwsCredentials unknown = AwsCredentials.builder().accessKeyId("ASIAUNKNOWN")
        .secretAccessKey(SecretValue.of(SECRET_KEY)).sessionToken(SecretValue.of(SESSION_TOKEN)).build();
    failures.add(catchThrowable(() -> assumeRole(unknown).fetch()));

    AwsCredentials issued = assumeRole(AwsCredentials.of("AKIDCANARYROOT", SecretValue.of(Canary.secret("sts-root-key"))))
        .fetch();
    clock.advance(Duration.ofMinutes(21));
    failures.add(catchThrowable(() -> assumeRole(issued).fetch()));

    assertThat(failures).allMatch(failure -> failure instanceof StsException);
  }

  @Test
  void rejectedWebIdentityTokenIsHidden() {
    // A JWT for another audience, with a canary claim, so the token's Base64url payload contains the marker.
    String webIdentityToken = issuer.issueToken("billing-exporter", "someone-else",
        Map.of("canary", Canary.secret("web-identity-claim")), Duration.ofMinutes(5));
    Canary.record(webIdentityToken);
    WebIdentityCredentialsProvider provider = WebIdentityCredentialsProvider.builder().roleArn(ROLE)
        .endpoint(sts.endpoint()).clock(clock)
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of(webIdentityToken), null))
        .build();

    failures.add(catchThrowable(provider::fetch));

    assertThat(failures.get(0)).isInstanceOf(StsException.class);
  }

  private AssumeRoleCredentialsProvider assumeRole(AwsCredentials base) {
    return AssumeRoleCredentialsProvider.builder().baseCredentials(() -> base).roleArn(ROLE)
        .endpoint(sts.endpoint()).clock(clock).build();
  }
}
