package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestStsTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/reader";
  private static final String AUDIENCE = "sts.amazonaws.com";

  private static MockOAuth2Server oauth;
  private final HttpClient http = HttpClient.newHttpClient();
  private final FakeClock clock = FakeClock.at(Instant.now());
  private TestSts sts;

  @BeforeAll
  static void startIssuer() throws IOException {
    oauth = new MockOAuth2Server();
    oauth.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterAll
  static void stopIssuer() {
    oauth.shutdown();
  }

  @BeforeEach
  void startSts() {
    sts = TestSts.builder()
        .clock(clock)
        .defaultLifetime(Duration.ofSeconds(30))
        .rootKey("AKIDROOTEXAMPLE", Canary.secret("sts-root"))
        .trustIssuer(oauth.issuerUrl("workload").toString(), oauth.jwksUrl("workload").uri(), AUDIENCE)
        .start();
  }

  @AfterEach
  void stopSts() {
    for (IssuedCredentials issued : sts.issued()) {
      Canary.record(issued.secretAccessKey(), issued.sessionToken());
    }
    sts.close();
  }

  private String token(String issuerId, String audience) {
    return oauth.issueToken(issuerId, "billing-exporter", audience, Map.of(), 300).serialize();
  }

  private HttpResponse<String> post(Map<String, String> form, String authorization) throws Exception {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(sts.endpoint())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> assumeWithWebIdentity(String token, String policy) throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRoleWithWebIdentity");
    form.put("Version", "2011-06-15");
    form.put("RoleArn", ROLE);
    form.put("RoleSessionName", "test-session");
    form.put("WebIdentityToken", token);
    if (policy != null) {
      form.put("Policy", policy);
    }
    return post(form, null);
  }

  private static String authorization(String accessKeyId) {
    return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20260101/us-east-1/sts/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=0000";
  }

  private HttpResponse<String> assumeRole(String accessKeyId) throws Exception {
    return post(Map.of("Action", "AssumeRole", "Version", "2011-06-15", "RoleArn", ROLE,
        "RoleSessionName", "chained"), authorization(accessKeyId));
  }

  @Test
  void issuesCredentialsForValidToken() throws Exception {
    String policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

    HttpResponse<String> response = assumeWithWebIdentity(token("workload", AUDIENCE), policy);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sts.issued()).hasSize(1);
    IssuedCredentials issued = sts.issued().get(0);
    assertThat(response.body()).contains("<AccessKeyId>" + issued.accessKeyId() + "</AccessKeyId>");
    assertThat(response.body()).contains("<Expiration>" + issued.expiresAt() + "</Expiration>");
    assertThat(issued.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(issued.subject()).isEqualTo("billing-exporter");
    assertThat(issued.policy()).contains(policy);
    assertThat(issued.toString()).doesNotContain(issued.secretAccessKey()).doesNotContain(issued.sessionToken());
  }

  @Test
  void rejectsWrongAudience() throws Exception {
    HttpResponse<String> response = assumeWithWebIdentity(token("workload", "someone-else"), null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("<Code>InvalidIdentityToken</Code>");
    assertThat(sts.issued()).isEmpty();
  }

  @Test
  void rejectsTokenOfOtherIssuer() throws Exception {
    HttpResponse<String> response = assumeWithWebIdentity(token("other-issuer", AUDIENCE), null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("<Code>InvalidIdentityToken</Code>");
  }

  @Test
  void rejectsTamperedSignature() throws Exception {
    String token = token("workload", AUDIENCE);
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

    HttpResponse<String> response = assumeWithWebIdentity(tampered, null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("<Code>InvalidIdentityToken</Code>");
  }

  @Test
  void rejectsExpiredToken() throws Exception {
    String token = token("workload", AUDIENCE);
    clock.advance(Duration.ofMinutes(10));

    HttpResponse<String> response = assumeWithWebIdentity(token, null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("<Code>ExpiredTokenException</Code>");
  }

  @Test
  void assumeRoleAcceptsRootAndIssuedKeys() throws Exception {
    HttpResponse<String> fromRoot = assumeRole("AKIDROOTEXAMPLE");
    String issuedKey = sts.issued().get(0).accessKeyId();
    HttpResponse<String> chained = assumeRole(issuedKey);

    assertThat(fromRoot.statusCode()).isEqualTo(200);
    assertThat(chained.statusCode()).isEqualTo(200);
    assertThat(sts.issued()).hasSize(2);
    assertThat(sts.issued().get(1).subject()).isEqualTo(issuedKey);
  }

  @Test
  void assumeRoleRejectsUnknownAndExpiredKeys() throws Exception {
    assumeRole("AKIDROOTEXAMPLE");
    String issuedKey = sts.issued().get(0).accessKeyId();
    clock.advance(Duration.ofSeconds(30));

    HttpResponse<String> expired = assumeRole(issuedKey);
    HttpResponse<String> unknown = assumeRole("AKIDUNKNOWN");
    HttpResponse<String> unsigned = post(Map.of("Action", "AssumeRole", "RoleArn", ROLE,
        "RoleSessionName", "s"), null);

    assertThat(expired.statusCode()).isEqualTo(400);
    assertThat(expired.body()).contains("<Code>ExpiredToken</Code>");
    assertThat(unknown.statusCode()).isEqualTo(403);
    assertThat(unknown.body()).contains("<Code>InvalidClientTokenId</Code>");
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");
  }

  @Test
  void answersInjectedFaultsFirst() throws Exception {
    sts.failNext(1, 400, "Throttling");

    HttpResponse<String> throttled = assumeRole("AKIDROOTEXAMPLE");
    HttpResponse<String> next = assumeRole("AKIDROOTEXAMPLE");

    assertThat(throttled.statusCode()).isEqualTo(400);
    assertThat(throttled.body()).contains("<Code>Throttling</Code>");
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void rejectsMalformedPolicyAndDuration() throws Exception {
    HttpResponse<String> badPolicy = assumeWithWebIdentity(token("workload", AUDIENCE), "{\"Statement\":[{\"Effect\":\"x\"}]}");
    HttpResponse<String> badDuration = post(Map.of("Action", "AssumeRole", "RoleArn", ROLE,
        "RoleSessionName", "s", "DurationSeconds", "soon"), authorization("AKIDROOTEXAMPLE"));

    assertThat(badPolicy.statusCode()).isEqualTo(400);
    assertThat(badPolicy.body()).contains("<Code>MalformedPolicyDocument</Code>");
    assertThat(badDuration.statusCode()).isEqualTo(400);
    assertThat(badDuration.body()).contains("<Code>ValidationError</Code>");
    assertThat(sts.issued()).isEmpty();
  }

  @Test
  void rejectsPlainHttpJwksOnOtherHost() {
    assertThatThrownBy(() -> TestSts.builder()
            .trustIssuer("https://issuer.example", URI.create("http://issuer.example/jwks"), AUDIENCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jwksUri");
  }
}
