package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A token endpoint that rejects the client certificate in the TLS handshake, not with a 401. */
class MutualTlsHandshakeRejectionTest {

  private static OidcIssuer issuer;
  private static MutualTlsTokenEndpoint endpoint;
  private static OkHttpClient trusting;

  @BeforeAll
  static void start() {
    issuer = OidcIssuer.builder().start();
    endpoint = MutualTlsTokenEndpoint.builder()
        .issuer(issuer)
        .tlsClientAuth("importer", "CN=importer")
        .checkChainInHandshake()
        .start();
    trusting = new OkHttpClient.Builder().sslSocketFactory(endpoint.sslSocketFactory(), endpoint.trustManager()).build();
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    issuer.close();
  }

  @Test
  void issuedCertificatePassesHandshake() {
    AccessToken token = provider(endpoint.issueClientCertificate("importer"), trusting).fetch();

    assertThat(token.token().reveal()).isNotEmpty();
  }

  /**
   * With TLS 1.2 the server rejects the certificate inside the handshake. With TLS 1.3 the client has
   * finished its side by then, and gets a broken pipe, a reset or the end of the stream instead.
   */
  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void rejectedCertificateIsNotRetryable(String tlsVersion) {
    HeldCertificate untrusted = new HeldCertificate.Builder().commonName("importer").build();
    OkHttpClient client = trusting.newBuilder()
        .connectionSpecs(List.of(new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS).tlsVersions(tlsVersion).build()))
        .build();

    assertThatThrownBy(() -> provider(untrusted, client).fetch())
        .isInstanceOfSatisfying(TokenEndpointException.class, e -> {
          assertThat(e.isRetryable()).as("retryable after: %s", e.getMessage()).isFalse();
          assertThat(e.statusCode()).isZero();
        })
        .hasMessageContaining(endpoint.tokenEndpoint().toString())
        .hasMessageContaining("may have rejected the client certificate")
        .hasMessageContaining("'importer'")
        .hasMessageNotContaining("tried again");
  }

  private static ClientCredentialsProvider provider(HeldCertificate generated, OkHttpClient client) {
    ClientCertificate presented = ClientCertificate.of(generated.keyPair().getPrivate(), List.of(generated.certificate()));
    TokenEndpoint tokenEndpoint = TokenEndpoint.builder()
        .uri(endpoint.tokenEndpoint())
        .httpClient(client)
        .clientAuthentication(ClientAuthentication.tlsClientAuth("importer", () -> presented))
        .build();
    return ClientCredentialsProvider.builder().tokenEndpoint(tokenEndpoint).build();
  }
}
