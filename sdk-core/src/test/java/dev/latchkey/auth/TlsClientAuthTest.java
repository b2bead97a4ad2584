package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls_client_auth} against a local TLS server that requires client certificates. */
class TlsClientAuthTest {

  private static final String OK_BODY = "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":300}";

  private final HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).commonName("Test CA").build();
  private final HeldCertificate serverCertificate = new HeldCertificate.Builder()
      .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost").signedBy(root).build();

  @TempDir Path directory;
  private MockWebServer server;
  private OkHttpClient trustingClient;

  @BeforeEach
  void start() throws Exception {
    HandshakeCertificates serverHandshake = new HandshakeCertificates.Builder()
        .heldCertificate(serverCertificate).addTrustedCertificate(root.certificate()).build();
    server = new MockWebServer();
    server.useHttps(serverHandshake.sslSocketFactory());
    server.requireClientAuth();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    HandshakeCertificates clientTrust = new HandshakeCertificates.Builder().addTrustedCertificate(root.certificate()).build();
    trustingClient = new OkHttpClient.Builder()
        .sslSocketFactory(clientTrust.sslSocketFactory(), clientTrust.trustManager()).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void pemCertificateIsPresentedAndClientIdSent() throws Exception {
    HeldCertificate client = clientCertificate("exporter");
    Path certificate = directory.resolve("client.crt");
    Path key = directory.resolve("client.key");
    writePem(client, certificate, key, 1_000);
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());

    provider(ClientCertificateSource.fromPem(certificate, key)).fetch();

    RecordedRequest request = server.takeRequest();
    assertThat(request.getHandshake().peerCertificates()).first().isEqualTo(client.certificate());
    Map<String, List<String>> form = FormBodies.decode(request.getBody().utf8());
    assertThat(FormBodies.single(form, "client_id")).isEqualTo("exporter");
    assertThat(form).doesNotContainKeys("client_secret", "client_assertion");
  }

  @Test
  void rotatedCertificateIsUsedForNextRequest() throws Exception {
    HeldCertificate first = clientCertificate("exporter-2026");
    HeldCertificate second = clientCertificate("exporter-2027");
    Path certificate = directory.resolve("client.crt");
    Path key = directory.resolve("client.key");
    writePem(first, certificate, key, 1_000);
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());
    ClientCredentialsProvider provider = provider(ClientCertificateSource.fromPem(certificate, key));

    provider.fetch();
    writePem(second, certificate, key, 2_000);
    provider.fetch();

    assertThat(server.takeRequest().getHandshake().peerCertificates()).first().isEqualTo(first.certificate());
    assertThat(server.takeRequest().getHandshake().peerCertificates()).first().isEqualTo(second.certificate());
  }

  @Test
  void pkcs12CertificateIsPresented() throws Exception {
    HeldCertificate client = clientCertificate("exporter-p12");
    Path file = directory.resolve("client.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", client.keyPair().getPrivate(), "changeit".toCharArray(),
        new Certificate[] {client.certificate(), root.certificate()});
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, "changeit".toCharArray());
    }
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());

    provider(ClientCertificateSource.fromPkcs12(file, "changeit".toCharArray())).fetch();

    assertThat(server.takeRequest().getHandshake().peerCertificates()).first().isEqualTo(client.certificate());
  }

  @Test
  void keyOfAnotherCertificateIsRejected() throws Exception {
    Path certificate = directory.resolve("client.crt");
    Path key = directory.resolve("client.key");
    Files.writeString(certificate, clientCertificate("a").certificatePem());
    Files.writeString(key, clientCertificate("b").privateKeyPkcs8Pem());

    assertThatThrownBy(() -> ClientCertificateSource.fromPem(certificate, key).fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("does not belong to the leaf certificate");
  }

  @Test
  void halfWrittenRenewalKeepsEarlierCertificate() throws Exception {
    HeldCertificate client = clientCertificate("exporter");
    Path certificate = directory.resolve("client.crt");
    Path key = directory.resolve("client.key");
    writePem(client, certificate, key, 1_000);
    ClientCertificateSource source = ClientCertificateSource.fromPem(certificate, key);
    ClientCertificate first = source.fetch();

    Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nMIIB");
    Files.setLastModifiedTime(certificate, FileTime.fromMillis(2_000));

    assertThat(source.fetch()).isSameAs(first);
  }

  private ClientCredentialsProvider provider(ClientCertificateSource source) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(server.url("/token").uri())
        .httpClient(trustingClient)
        .clientAuthentication(ClientAuthentication.tlsClientAuth("exporter", source))
        .build();
    return ClientCredentialsProvider.builder().tokenEndpoint(endpoint).build();
  }

  private HeldCertificate clientCertificate(String name) {
    return new HeldCertificate.Builder().commonName(name).signedBy(root).build();
  }

  private static void writePem(HeldCertificate certificate, Path certificateFile, Path keyFile, long modifiedMillis)
      throws Exception {
    Files.writeString(certificateFile, certificate.certificatePem());
    Files.writeString(keyFile, certificate.privateKeyPkcs8Pem());
    Files.setLastModifiedTime(certificateFile, FileTime.fromMillis(modifiedMillis));
    Files.setLastModifiedTime(keyFile, FileTime.fromMillis(modifiedMillis));
  }
}
