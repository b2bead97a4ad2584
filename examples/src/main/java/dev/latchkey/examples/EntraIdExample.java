package dev.latchkey.examples;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.identity.ClientCertificateCredentials;
import dev.latchkey.azure.identity.ClientSecretCredentials;
import dev.latchkey.azure.identity.ManagedIdentityCredentials;
import dev.latchkey.azure.identity.WorkloadIdentityCredentials;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.testkit.AppServiceIdentityEndpoint;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.AzuriteUnavailableException;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;

/**
 * Microsoft Entra ID access tokens from each source of {@code dev.latchkey.azure.identity}, used as
 * bearer tokens with Azure Blob: a client secret, a client certificate ({@code private_key_jwt}
 * naming the certificate by {@code x5t#S256}), workload identity federation with a federated token
 * file, and a managed identity from an App Service-style identity endpoint.
 *
 * <p>The sandbox's issuer takes the place of Entra ID: the sources' authority host points at it, and its
 * tokens carry the {@code iss} and {@code aud} of Azure Storage tokens. It does not check the
 * secret, the assertion or the federated token, which Entra ID does. Azurite, served over HTTPS with
 * {@code --oauth basic}, checks each token's issuer, audience and lifetime but not its signature.
 * Without Node.js the Azure Blob part is skipped with a message.
 *
 * <p>Run from the repository root: {@code mvn -B -ntp -Pdemo -DskipTests package
 * -Ddemo.mainClass=dev.latchkey.examples.EntraIdExample}
 */
public final class EntraIdExample {

  private static final String TENANT = Sandbox.ENTRA_TENANT_ID;
  private static final String CLIENT_ID = "0b6f7c1e-3d2a-4e59-8f10-6a4c2b9d7e31";
  private static final String CONTAINER = "reports";

  private EntraIdExample() {}

  public static void main(String[] args) throws IOException {
    Path tokenFile = Files.createTempFile("latchkey-federated-token-", ".jwt");
    try (Sandbox sandbox = Sandbox.builder().azurite(false).start();
        AppServiceIdentityEndpoint appService = AppServiceIdentityEndpoint.start(
            sandbox.issuer(), TENANT, "5d1e8a3f-7b24-4c6e-a9d0-3f8b2e1c4a76", CLIENT_ID)) {
      URI authority = sandbox.issuer().authorityHost();
      Map<String, CredentialProvider<AccessToken>> sources = new LinkedHashMap<>();

      sources.put("client-secret", ClientSecretCredentials.builder()
          .tenantId(TENANT)
          .clientId(CLIENT_ID)
          .clientSecret(SecretValue.of("example-secret"))
          .authorityHost(authority)
          .build());

      // Register this certificate's thumbprint with the app registration; Entra ID matches the
      // x5t#S256 in each assertion's header against it.
      HeldCertificate generated = new HeldCertificate.Builder().commonName("report-exporter").rsa2048().build();
      ClientCertificate certificate = ClientCertificate.of(generated.keyPair().getPrivate(), List.of(generated.certificate()));
      System.out.println("app certificate: " + certificate);
      sources.put("client-certificate", ClientCertificateCredentials.builder()
          .tenantId(TENANT)
          .clientId(CLIENT_ID)
          .certificate(certificate)
          .authorityHost(authority)
          .build());

      // In a pod, the kubelet writes this file and AZURE_FEDERATED_TOKEN_FILE names it.
      writeFederatedToken(sandbox, tokenFile);
      CredentialProvider<AccessToken> federation = WorkloadIdentityCredentials.builder()
          .environment(Map.of())
          .tenantId(TENANT)
          .clientId(CLIENT_ID)
          .tokenFile(tokenFile)
          .authorityHost(authority)
          .build();
      sources.put("workload-identity", federation);
      showTokenFileIsReadPerRequest(sandbox, federation, tokenFile);

      // App Service sets IDENTITY_ENDPOINT and IDENTITY_HEADER for the app.
      sources.put("managed-identity", ManagedIdentityCredentials.builder()
          .environment(appService.environment())
          .build());

      sources.forEach((name, source) -> System.out.println(name + ": " + source.fetch()));
      useWithAzurite(sources);
    } finally {
      Files.deleteIfExists(tokenFile);
    }
  }

  private static void writeFederatedToken(Sandbox sandbox, Path tokenFile) throws IOException {
    // NOTE: Entra ID matches the token's issuer and subject (in a pod,
    // system:serviceaccount:NAMESPACE:NAME) against the app's federated credential. The sandbox's
    // issuer, mock-oauth2-server, requires the subject of a client assertion to be the client id.
    String token = sandbox.issuer().issueToken(CLIENT_ID, "api://AzureADTokenExchange", Map.of(), Duration.ofMinutes(10));
    Files.writeString(tokenFile, token);
  }

  /** Removes the token file and writes it again, as a kubelet rotating it would, between requests. */
  private static void showTokenFileIsReadPerRequest(Sandbox sandbox, CredentialProvider<AccessToken> federation,
      Path tokenFile) throws IOException {
    Files.delete(tokenFile);
    try {
      federation.fetch();
      throw new IllegalStateException("Workload identity sent a request without its token file");
    } catch (CredentialException e) {
      System.out.println("workload-identity without its token file: " + e.getMessage());
    }
    writeFederatedToken(sandbox, tokenFile);
  }

  /** Puts, gets and lists blobs with each source's bearer tokens against Azurite over HTTPS. */
  private static void useWithAzurite(Map<String, CredentialProvider<AccessToken>> sources) {
    AzuriteServer azurite;
    try {
      azurite = AzuriteServer.builder().https().start();
    } catch (AzuriteUnavailableException e) {
      System.out.println("Azure Blob part skipped: " + e.getMessage());
      return;
    }
    try (azurite) {
      AzuriteContainers.create(azurite, SharedKey.of(azurite.accountName(), SecretValue.of(azurite.primaryKey())),
          CONTAINER);
      OkHttpClient http = new OkHttpClient.Builder()
          .sslSocketFactory(azurite.sslSocketFactory(), azurite.trustManager())
          .build();
      for (Map.Entry<String, CredentialProvider<AccessToken>> source : sources.entrySet()) {
        roundTrip(azurite, http, source.getKey(), source.getValue());
      }
    }
  }

  private static void roundTrip(AzuriteServer azurite, OkHttpClient http, String name,
      CredentialProvider<AccessToken> source) {
    String reports = "azure://" + azurite.accountName() + "/" + CONTAINER + "/**";
    try (CredentialCache<AccessToken> tokens = CredentialCache.builder(source).build();
        StorageClient storage = StorageClient.builder()
            .identity(WorkloadIdentity.of("report-exporter"))
            .policy(DemoPolicies.readWrite("report-exporter", reports))
            .backend(BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(tokens).httpClient(http).build())
            .build()) {
      ObjectRef ref = ObjectRef.of(CONTAINER, name + "/q4.csv");
      storage.put(ref, ("written with " + name).getBytes(StandardCharsets.UTF_8), "text/csv");
      String body = new String(storage.getBytes(ref), StandardCharsets.UTF_8);
      List<String> listing = storage.list(CONTAINER, "").map(ListPage.ObjectSummary::key).toList();
      System.out.println("Azure Blob with " + name + ": read back '" + body + "', listed " + listing);
    }
  }
}
