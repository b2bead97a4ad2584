package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.jose.Jwk;
import dev.latchkey.auth.jose.JwkSet;
import dev.latchkey.auth.jose.Jws;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client credentials grant with every client authentication method, against mock-oauth2-server. */
class ClientCredentialsProviderTest {

  private static final SecretValue SECRET = SecretValue.of("s3cr:t &=+ é");

  private static OAuthTestServer server;
  private static JwkSet serverKeys;

  @BeforeAll
  static void startServer() {
    server = OAuthTestServer.start(60);
    serverKeys = JwkSet.parse(server.jwks());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    server.drainRequests();
  }

  @Test
  void clientSecretBasicObtainsSignedToken() {
    ClientCredentialsProvider provider = provider(ClientAuthentication.clientSecretBasic("exporter:1", SECRET));

    AccessToken token = provider.fetch();

    Jws jws = Jws.parse(token.token().reveal());
    assertThat(jws.verify(serverKeys)).isNotNull();
    assertThat(jws.claims()).containsEntry("sub", "exporter:1");
    assertThat(token.isBearer()).isTrue();
    assertThat(token.scopes()).containsExactly("storage.read");
  }

  @Test
  void clientSecretBasicFormEncodesBeforeBase64() {
    provider(ClientAuthentication.clientSecretBasic("exporter:1", SECRET)).fetch();

    RecordedRequest request = server.takeRequest();

    String expected = "exporter%3A1:s3cr%3At+%26%3D%2B+%C3%A9";
    assertThat(request.getHeader("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.US_ASCII)));
    Map<String, List<String>> form = FormBodies.decode(request.getBody().readUtf8());
    assertThat(form).doesNotContainKeys("client_secret", "client_id");
    assertThat(FormBodies.single(form, "grant_type")).isEqualTo("client_credentials");
  }

  @Test
  void clientSecretPostSendsFormParameters() {
    AccessToken token = provider(ClientAuthentication.clientSecretPost("exporter", SECRET)).fetch();

    RecordedRequest request = server.takeRequest();

    Map<String, List<String>> form = FormBodies.decode(request.getBody().readUtf8());
    assertThat(FormBodies.single(form, "client_id")).isEqualTo("exporter");
    assertThat(FormBodies.single(form, "client_secret")).isEqualTo(SECRET.reveal());
    assertThat(request.getHeader("Authorization")).isNull();
    assertThat(Jws.parse(token.token().reveal()).claims()).containsEntry("sub", "exporter");
  }

  @ParameterizedTest
  @EnumSource(names = {"RS256", "PS256", "ES256"})
  void privateKeyJwtSendsVerifiableAssertion(JwsAlgorithm algorithm) {
    KeyPair keys = algorithm == JwsAlgorithm.ES256 ? TestKeys.EC_P256 : TestKeys.RSA;
    SigningKey signingKey = SigningKey.builder().algorithm(algorithm).privateKey(keys.getPrivate()).keyId("key-1").build();
    Instant now = Instant.now();

    AccessToken token = provider(ClientAuthentication.privateKeyJwt("exporter", signingKey), () -> now).fetch();

    Map<String, List<String>> form = FormBodies.decode(server.takeRequest().getBody().readUtf8());
    assertThat(FormBodies.single(form, "client_assertion_type")).isEqualTo(ClientAuthentication.JWT_BEARER_ASSERTION_TYPE);
    Jws assertion = Jws.parse(FormBodies.single(form, "client_assertion"));
    assertThat(assertion.verify(JwkSet.of(List.of(Jwk.fromPublicKey(keys.getPublic(), "key-1"))))).isNotNull();
    assertThat(assertion.algorithm()).isEqualTo(algorithm);
    assertThat(assertion.header()).containsEntry("typ", "JWT").containsEntry("kid", "key-1");
    Map<String, Object> claims = assertion.claims();
    assertThat(claims).containsEntry("iss", "exporter").containsEntry("sub", "exporter")
        .containsEntry("aud", server.tokenEndpoint().toString());
    assertThat(((Number) claims.get("iat")).longValue()).isEqualTo(now.getEpochSecond() - 30);
    assertThat(((Number) claims.get("exp")).longValue()).isEqualTo(now.getEpochSecond() + 60);
    assertThat(Jws.parse(token.token().reveal()).claims()).containsEntry("sub", "exporter");
  }

  @Test
  void privateKeyJwtJtiIsUnique() {
    SigningKey signingKey = SigningKey.builder().algorithm(JwsAlgorithm.ES256)
        .privateKey(TestKeys.EC_P256.getPrivate()).keyId("key-1").build();
    ClientCredentialsProvider provider = provider(ClientAuthentication.privateKeyJwt("exporter", signingKey));

    provider.fetch();
    provider.fetch();

    Object firstJti = assertionClaims(server.takeRequest()).get("jti");
    Object secondJti = assertionClaims(server.takeRequest()).get("jti");
    assertThat(firstJti).isNotNull();
    assertThat(secondJti).isNotEqualTo(firstJti);
  }

  @Test
  void clientAssertionFileIsReadForEveryRequest(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("token");
    SigningKey federationKey = SigningKey.builder().algorithm(JwsAlgorithm.ES256)
        .privateKey(TestKeys.EC_P256.getPrivate()).keyId("kubelet").build();
    String first = federatedToken(federationKey, "first");
    String second = federatedToken(federationKey, "second");
    ClientCredentialsProvider provider =
        provider(ClientAuthentication.clientAssertion("workload", TokenFileProvider.of(file)));

    Files.writeString(file, first + "\n");
    provider.fetch();
    Files.writeString(file, second);
    provider.fetch();

    assertThat(FormBodies.single(FormBodies.decode(server.takeRequest().getBody().readUtf8()), "client_assertion"))
        .isEqualTo(first);
    assertThat(FormBodies.single(FormBodies.decode(server.takeRequest().getBody().readUtf8()), "client_assertion"))
        .isEqualTo(second);
  }

  @Test
  void grantOptionsSentOnEveryRefresh() {
    ClientCredentialsProvider provider = ClientCredentialsProvider.builder()
        .tokenEndpoint(endpoint(ClientAuthentication.clientSecretPost("exporter", SECRET), InstantSource.system()))
        .scopes("storage.read", "storage.write")
        .audience("storage")
        .resource(URI.create("https://storage.example.com/"))
        .resource(URI.create("https://backup.example.com/"))
        .build();

    provider.fetch();
    provider.fetch();

    for (int i = 0; i < 2; i++) {
      Map<String, List<String>> form = FormBodies.decode(server.takeRequest().getBody().readUtf8());
      assertThat(form.get("scope")).containsExactly("storage.read storage.write");
      assertThat(form.get("audience")).containsExactly("storage");
      assertThat(form.get("resource")).containsExactly("https://storage.example.com/", "https://backup.example.com/");
    }
  }

  @Test
  void expiryCountsFromRequestTime() {
    Instant requestTime = Instant.parse("2026-01-01T00:00:00Z");

    AccessToken token = provider(ClientAuthentication.clientSecretPost("exporter", SECRET), () -> requestTime).fetch();

    assertThat(token.expiresAt()).hasValueSatisfying(expiry -> assertThat(Duration.between(requestTime, expiry))
        .isBetween(Duration.ofSeconds(58), Duration.ofSeconds(60)));
  }

  @Test
  void providerNameShowsClientIdOnly() {
    ClientCredentialsProvider provider = provider(ClientAuthentication.clientSecretPost("exporter", SECRET));

    assertThat(provider.name()).isEqualTo("oauth2-client-credentials:exporter");
    assertThat(provider.toString()).contains("exporter", "client_secret_post").doesNotContain(SECRET.reveal());
  }

  @Test
  void buildWithoutClientAuthenticationFails() {
    TokenEndpoint publicEndpoint = TokenEndpoint.builder().uri(server.tokenEndpoint()).build();

    assertThatThrownBy(() -> ClientCredentialsProvider.builder().tokenEndpoint(publicEndpoint).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clientAuthentication(...)");
  }

  private static String federatedToken(SigningKey key, String jti) {
    return key.sign(Map.of("iss", "https://kubernetes.example", "sub", "workload", "aud", "api://AzureADTokenExchange",
        "jti", jti, "exp", Instant.now().plusSeconds(600).getEpochSecond()));
  }

  private static Map<String, Object> assertionClaims(RecordedRequest request) {
    String assertion = FormBodies.single(FormBodies.decode(request.getBody().readUtf8()), "client_assertion");
    return Jws.parse(assertion).claims();
  }

  private static ClientCredentialsProvider provider(ClientAuthentication authentication) {
    return provider(authentication, InstantSource.system());
  }

  private static ClientCredentialsProvider provider(ClientAuthentication authentication, InstantSource clock) {
    return ClientCredentialsProvider.builder()
        .tokenEndpoint(endpoint(authentication, clock))
        .scopes("storage.read")
        .build();
  }

  private static TokenEndpoint endpoint(ClientAuthentication authentication, InstantSource clock) {
    return TokenEndpoint.builder()
        .uri(server.tokenEndpoint())
        .clientAuthentication(authentication)
        .clock(clock)
        .build();
  }
}
