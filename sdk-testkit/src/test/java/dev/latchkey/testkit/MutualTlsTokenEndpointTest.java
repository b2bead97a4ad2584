package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.OAuthErrorException;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import java.util.Base64;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MutualTlsTokenEndpointTest {

  private static final HeldCertificate SELF_SIGNED = new HeldCertificate.Builder().commonName("exporter").build();

  private static OidcIssuer issuer;
  private static MutualTlsTokenEndpoint endpoint;
  private static OkHttpClient trusting;

  @BeforeAll
  static void start() {
    issuer = OidcIssuer.builder().start();
    endpoint = MutualTlsTokenEndpoint.builder()
        .issuer(issuer)
        .selfSignedTlsClientAuth("exporter", SELF_SIGNED.certificate())
        .tlsClientAuth("importer", "CN=importer")
        .start();
    trusting = new OkHttpClient.Builder().sslSocketFactory(endpoint.sslSocketFactory(), endpoint.trustManager()).build();
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    issuer.close();
  }

  @Test
  void selfSignedCertificateGetsBoundToken() throws Exception {
    AccessToken token = fetch("exporter", SELF_SIGNED);

    JsonNode claims = claims(token);
    assertThat(claims.path("sub").asText()).isEqualTo("exporter");
    assertThat(claims.path("iss").asText()).isEqualTo(issuer.issuerUrl().toString());
    assertThat(claims.path("aud").toString()).contains(Sandbox.STS_AUDIENCE);
    assertThat(claims.path("cnf").path("x5t#S256").asText()).isEqualTo(certificate(SELF_SIGNED).sha256Thumbprint());
  }

  @Test
  void unregisteredSelfSignedCertificateIsRejected() {
    HeldCertificate other = new HeldCertificate.Builder().commonName("exporter").build();

    assertThatThrownBy(() -> fetch("exporter", other))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("invalid_client");
  }

  @Test
  void missingCertificateFailsHandshake() {
    TokenEndpoint withoutCertificate = TokenEndpoint.builder()
        .uri(endpoint.tokenEndpoint())
        .httpClient(trusting)
        .clientAuthentication(ClientAuthentication.clientSecretPost("exporter", SecretValue.of("not-a-certificate")))
        .build();

    assertThatThrownBy(() -> ClientCredentialsProvider.builder().tokenEndpoint(withoutCertificate).build().fetch())
        .isInstanceOf(CredentialException.class)
        .isNotInstanceOf(OAuthErrorException.class);
  }

  @Test
  void authorityCertificateWithRegisteredSubjectIsAccepted() throws Exception {
    HeldCertificate issued = endpoint.issueClientCertificate("importer");

    AccessToken token = fetch("importer", issued);

    assertThat(claims(token).path("cnf").path("x5t#S256").asText()).isEqualTo(certificate(issued).sha256Thumbprint());
  }

  @Test
  void authorityCertificateWithOtherSubjectIsRejected() {
    HeldCertificate issued = endpoint.issueClientCertificate("exporter");

    assertThatThrownBy(() -> fetch("importer", issued))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("invalid_client");
  }

  @Test
  void selfSignedCertificateForPkiClientIsRejected() {
    HeldCertificate selfSigned = new HeldCertificate.Builder().commonName("importer").build();

    assertThatThrownBy(() -> fetch("importer", selfSigned))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("invalid_client");
  }

  @Test
  void unknownClientIsRejected() {
    assertThatThrownBy(() -> fetch("stranger", SELF_SIGNED))
        .isInstanceOf(OAuthErrorException.class)
        .hasMessageContaining("invalid_client");
  }

  private static AccessToken fetch(String clientId, HeldCertificate generated) {
    ClientCertificate presented = certificate(generated);
    TokenEndpoint tokenEndpoint = TokenEndpoint.builder()
        .uri(endpoint.tokenEndpoint())
        .httpClient(trusting)
        .clientAuthentication(ClientAuthentication.tlsClientAuth(clientId, () -> presented))
        .build();
    return ClientCredentialsProvider.builder().tokenEndpoint(tokenEndpoint).build().fetch();
  }

  private static ClientCertificate certificate(HeldCertificate generated) {
    return ClientCertificate.of(generated.keyPair().getPrivate(), List.of(generated.certificate()));
  }

  static JsonNode claims(AccessToken token) throws Exception {
    String payload = token.token().reveal().split("\\.")[1];
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(payload));
  }
}
