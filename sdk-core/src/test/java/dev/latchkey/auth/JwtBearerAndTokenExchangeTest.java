package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.jose.Jwk;
import dev.latchkey.auth.jose.JwkSet;
import dev.latchkey.auth.jose.Jws;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JWT bearer grant and token exchange against mock-oauth2-server. */
class JwtBearerAndTokenExchangeTest {

  private static final SigningKey KEY = SigningKey.builder().algorithm(JwsAlgorithm.ES256)
      .privateKey(TestKeys.EC_P256.getPrivate()).keyId("workload-key").build();

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
  void jwtBearerWithSignedAssertionObtainsToken() {
    JwtBearerProvider provider = JwtBearerProvider.builder()
        .tokenEndpoint(endpoint())
        .signedAssertion(KEY, "billing-exporter", "billing-exporter")
        .scopes("storage.read")
        .build();

    AccessToken token = provider.fetch();

    assertThat(Jws.parse(token.token().reveal()).verify(serverKeys)).isNotNull();
    Map<String, List<String>> form = FormBodies.decode(server.takeRequest().getBody().readUtf8());
    assertThat(FormBodies.single(form, "grant_type")).isEqualTo(JwtBearerProvider.GRANT_TYPE);
    Jws assertion = Jws.parse(FormBodies.single(form, "assertion"));
    assertThat(assertion.verify(JwkSet.of(List.of(Jwk.fromPublicKey(TestKeys.EC_P256.getPublic(), "workload-key")))))
        .isNotNull();
    assertThat(assertion.claims()).containsEntry("aud", server.tokenEndpoint().toString())
        .containsEntry("iss", "billing-exporter").containsEntry("sub", "billing-exporter");
  }

  @Test
  void jwtBearerReadsAssertionFileForEveryRequest(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("assertion.jwt");
    JwtBearerProvider provider = JwtBearerProvider.builder()
        .tokenEndpoint(endpoint())
        .assertion(TokenFileProvider.of(file))
        .scopes("storage.read")
        .build();

    List<String> assertions = List.of(externalToken("first"), externalToken("second"));
    for (String assertion : assertions) {
      Files.writeString(file, assertion);
      assertThat(Jws.parse(provider.fetch().token().reveal()).verify(serverKeys)).isNotNull();
    }

    for (String assertion : assertions) {
      Map<String, List<String>> form = FormBodies.decode(server.takeRequest().getBody().readUtf8());
      assertThat(FormBodies.single(form, "assertion")).isEqualTo(assertion);
      assertThat(form.get("scope")).containsExactly("storage.read");
    }
  }

  @Test
  void tokenExchangeReadsSubjectFileForEveryExchange(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("token");
    TokenExchangeProvider provider = TokenExchangeProvider.builder()
        .tokenEndpoint(endpoint())
        .subjectToken(TokenFileProvider.of(file), TokenExchangeProvider.JWT_TYPE)
        .audience("storage")
        .resource(URI.create("https://storage.example.com/"))
        .scopes("storage.read")
        .build();

    Files.writeString(file, externalToken("pod-1"));
    AccessToken first = provider.fetch();
    String rotated = externalToken("pod-1-rotated");
    Files.writeString(file, rotated);
    provider.fetch();

    assertThat(Jws.parse(first.token().reveal()).verify(serverKeys)).isNotNull();
    server.takeRequest();
    Map<String, List<String>> form = FormBodies.decode(server.takeRequest().getBody().readUtf8());
    assertThat(FormBodies.single(form, "grant_type")).isEqualTo(TokenExchangeProvider.GRANT_TYPE);
    assertThat(FormBodies.single(form, "subject_token")).isEqualTo(rotated);
    assertThat(FormBodies.single(form, "subject_token_type")).isEqualTo(TokenExchangeProvider.JWT_TYPE);
    assertThat(form.get("audience")).containsExactly("storage");
    assertThat(form.get("resource")).containsExactly("https://storage.example.com/");
  }

  @Test
  void tokenExchangeTakesSubjectFromCachedProvider() {
    ClientCredentialsProvider subjects = ClientCredentialsProvider.builder()
        .tokenEndpoint(endpoint()).scopes("subject").build();
    try (CredentialCache<AccessToken> subjectCache = CredentialCache.builder(subjects).build()) {
      TokenExchangeProvider provider = TokenExchangeProvider.builder()
          .tokenEndpoint(endpoint())
          .subjectToken(subjectCache, TokenExchangeProvider.ACCESS_TOKEN_TYPE)
          .audience("storage")
          .build();

      provider.fetch();
      provider.fetch();

      String subjectToken = subjectCache.current().token().reveal();
      assertThat(FormBodies.single(FormBodies.decode(server.takeRequest().getBody().readUtf8()), "grant_type"))
          .isEqualTo("client_credentials");
      for (int i = 0; i < 2; i++) {
        Map<String, List<String>> form = FormBodies.decode(server.takeRequest().getBody().readUtf8());
        assertThat(FormBodies.single(form, "subject_token")).isEqualTo(subjectToken);
        assertThat(form.get("audience")).containsExactly("storage");
      }
    }
  }

  @Test
  void missingSubjectFileIsNotConfigured(@TempDir Path directory) {
    TokenExchangeProvider provider = TokenExchangeProvider.builder()
        .tokenEndpoint(endpoint())
        .subjectToken(TokenFileProvider.of(directory.resolve("absent")), TokenExchangeProvider.JWT_TYPE)
        .build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void jwtBearerNeedsOneAssertionSource() {
    assertThatThrownBy(() -> JwtBearerProvider.builder().tokenEndpoint(endpoint()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exactly one of assertion(...) and signedAssertion(...)");
  }

  private static String externalToken(String subject) {
    return KEY.sign(Map.of("iss", "https://kubernetes.example", "sub", subject, "aud", "latchkey",
        "iat", Instant.now().getEpochSecond(), "exp", Instant.now().plusSeconds(600).getEpochSecond()));
  }

  private static TokenEndpoint endpoint() {
    return TokenEndpoint.builder()
        .uri(server.tokenEndpoint())
        .clientAuthentication(ClientAuthentication.clientSecretBasic("exchanger", SecretValue.of("secret")))
        .build();
  }
}
