package dev.latchkey.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCertificateSource;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.OAuthErrorException;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.testkit.MutualTlsTokenEndpoint;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;

/**
 * OAuth 2.0 client credentials with a TLS client certificate in place of a secret (RFC 8705): the
 * workload presents its certificate to an HTTPS token endpoint, gets a token bound to that
 * certificate ({@code cnf} with its {@code x5t#S256}), trades the token at STS for S3 keys, and
 * writes, reads and lists objects. Then a token request with a certificate the server does not
 * know and one without any certificate are both rejected.
 *
 * <p>The certificate is self-signed and registered with the authorization server by its SHA-256
 * thumbprint ({@code self_signed_tls_client_auth}). The client side is the same for {@code
 * tls_client_auth}, where the certificate comes from a certificate authority the server trusts.
 *
 * <p>Run from the repository root: {@code mvn -B -ntp -Pdemo -DskipTests package
 * -Ddemo.mainClass=dev.latchkey.examples.MutualTlsExample}
 */
public final class MutualTlsExample {

  private static final String CLIENT_ID = "report-exporter";

  private MutualTlsExample() {}

  public static void main(String[] args) throws IOException {
    // In production, cert-manager or a PKI writes these files for the workload.
    HeldCertificate registered = new HeldCertificate.Builder().commonName(CLIENT_ID).build();
    Path directory = Files.createTempDirectory("latchkey-mtls-");
    Path certificateFile = Files.writeString(directory.resolve("tls.crt"), registered.certificatePem());
    Path keyFile = Files.writeString(directory.resolve("tls.key"), registered.privateKeyPkcs8Pem());

    try (Sandbox sandbox = Sandbox.builder().azurite(false).buckets("reports").start();
        MutualTlsTokenEndpoint authorizationServer = MutualTlsTokenEndpoint.builder()
            .issuer(sandbox.issuer())
            .selfSignedTlsClientAuth(CLIENT_ID, registered.certificate())
            .start()) {
      OkHttpClient http = new OkHttpClient.Builder()
          .sslSocketFactory(authorizationServer.sslSocketFactory(), authorizationServer.trustManager())
          .build();
      ClientCertificateSource certificates = ClientCertificateSource.fromPem(certificateFile, keyFile);
      System.out.println("client certificate: " + certificates.fetch());

      AccessToken token = clientCredentials(authorizationServer, http,
          ClientAuthentication.tlsClientAuth(CLIENT_ID, certificates)).fetch();
      System.out.println("token:              " + token);
      System.out.println("token bound to:     x5t#S256:" + confirmedThumbprint(token));

      writeReadAndList(sandbox, clientCredentials(authorizationServer, http,
          ClientAuthentication.tlsClientAuth(CLIENT_ID, certificates)));

      HeldCertificate unregistered = new HeldCertificate.Builder().commonName(CLIENT_ID).build();
      CredentialProvider<ClientCertificate> impostor = StaticCredentialProvider.of(
          ClientCertificate.of(unregistered.keyPair().getPrivate(), List.of(unregistered.certificate())));
      expectRejected("unregistered certificate", clientCredentials(authorizationServer, http,
          ClientAuthentication.tlsClientAuth(CLIENT_ID, impostor)));
      expectRejected("no certificate", clientCredentials(authorizationServer, http,
          ClientAuthentication.clientSecretPost(CLIENT_ID, SecretValue.of("not-a-certificate"))));
    } finally {
      Files.delete(keyFile);
      Files.delete(certificateFile);
      Files.delete(directory);
    }
  }

  private static ClientCredentialsProvider clientCredentials(MutualTlsTokenEndpoint server, OkHttpClient http,
      ClientAuthentication authentication) {
    return ClientCredentialsProvider.builder()
        .tokenEndpoint(TokenEndpoint.builder()
            .uri(server.tokenEndpoint())
            .httpClient(http)
            .clientAuthentication(authentication)
            .build())
        .build();
  }

  /** Trades the certificate-bound tokens for STS keys and uses them through a storage client. */
  private static void writeReadAndList(Sandbox sandbox, ClientCredentialsProvider tokenSource) {
    try (CredentialCache<AccessToken> tokens = CredentialCache.builder(tokenSource).build();
        CredentialCache<AwsCredentials> keys = CredentialCache.builder(WebIdentityCredentialsProvider.builder()
            .endpoint(sandbox.stsEndpoint())
            .region("us-east-1")
            .roleArn("arn:aws:iam::000000000000:role/report-exporter")
            .tokenProvider(tokens)
            .build()).build();
        StorageClient storage = StorageClient.builder()
            .identity(WorkloadIdentity.of(CLIENT_ID))
            .policy(DemoPolicies.readWrite(CLIENT_ID, "s3://reports/mtls/**"))
            .backend(S3Backend.factory())
            .endpoint(sandbox.s3Endpoint())
            .region("us-east-1")
            .credentials(keys)
            .build()) {
      ObjectRef ref = ObjectRef.of("reports", "mtls/q4.csv");
      storage.put(ref, "region,total\neu,42\n".getBytes(StandardCharsets.UTF_8), "text/csv");
      String body = new String(storage.getBytes(ref), StandardCharsets.UTF_8);
      System.out.println("read back:          " + body.replace("\n", "\\n"));
      System.out.println("listed:             " + storage.list("reports", "mtls/").map(ListPage.ObjectSummary::key).toList());
      System.out.println("signed with:        " + keys.current().id());
    }
  }

  /** Requests a token that the server must refuse, and fails the program if it does not. */
  private static void expectRejected(String label, ClientCredentialsProvider tokenSource) {
    try {
      tokenSource.fetch();
    } catch (OAuthErrorException e) {
      System.out.println(label + ": rejected by the server, " + e.getMessage());
      return;
    } catch (CredentialException e) {
      System.out.println(label + ": rejected in the TLS handshake, " + e.getMessage());
      return;
    }
    throw new IllegalStateException("The token endpoint accepted a request with " + label);
  }

  /** Returns the {@code x5t#S256} of the token's confirmation claim, which the example prints. */
  private static String confirmedThumbprint(AccessToken token) throws IOException {
    String payload = token.token().reveal().split("\\.")[1];
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(payload)).path("cnf").path("x5t#S256").asText();
  }
}
