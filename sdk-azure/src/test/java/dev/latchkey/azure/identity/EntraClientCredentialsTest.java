package dev.latchkey.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.auth.OAuthErrorException;
import dev.latchkey.azure.testing.EntraTestIssuer;
import dev.latchkey.azure.testing.JwtParts;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.testkit.Canary;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntraClientCredentialsTest {

  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String CLIENT = "3f2a1b0c-1111-2222-3333-444455556666";
  private static final String APP_SECRET = Canary.secret("entra-app-secret");
  private static final String WRONG_SECRET = Canary.secret("entra-wrong-secret");

  private static EntraTestIssuer issuer;
  private static HeldCertificate rsa;

  @TempDir
  Path folder;

  @BeforeAll
  static void startIssuer() {
    issuer = EntraTestIssuer.start(TENANT, Duration.ofHours(1));
    rsa = new HeldCertificate.Builder().rsa2048().commonName("client-one").build();
    // The certificate's private key is a private_key_jwt secret. List its full PEM lines but the
    // first, which starts with the ASN.1 header every 2048-bit RSA key shares.
    rsa.privateKeyPkcs8Pem().lines().filter(line -> !line.startsWith("-----")).skip(1)
        .filter(line -> line.length() == 64).forEach(Canary::record);
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void clientSecretPostsCredentialsToTenantEndpoint() {
    CredentialProvider<AccessToken> provider = ClientSecretCredentials.builder()
        .tenantId(TENANT)
        .clientId(CLIENT)
        .clientSecret(SecretValue.of(APP_SECRET))
        .authorityHost(issuer.authorityHost())
        .build();

    AccessToken token = provider.fetch();

    Map<String, String> form = issuer.takeForm();
    assertThat(form).containsEntry("grant_type", "client_credentials")
        .containsEntry("client_id", CLIENT)
        .containsEntry("client_secret", APP_SECRET)
        .containsEntry("scope", "https://storage.azure.com/.default");
    assertThat(provider.name()).isEqualTo("entra-client-secret:" + CLIENT);
    assertThat(JwtParts.decode(token.token().reveal()).claims())
        .containsEntry("iss", issuer.stsIssuer())
        .containsEntry("aud", "https://storage.azure.com");
  }

  @Test
  void clientSecretRequestGoesToV2TokenPath() {
    ClientSecretCredentials.builder().tenantId(TENANT).clientId(CLIENT)
        .clientSecret(SecretValue.of(APP_SECRET)).authorityHost(issuer.authorityHost()).build().fetch();

    assertThat(issuer.takeRequest().getPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
  }

  @Test
  void certificateSignsAssertionWithThumbprint() throws Exception {
    ClientCertificate certificate = ClientCertificate.of(rsa.keyPair().getPrivate(), List.of(rsa.certificate()));
    long before = Instant.now().getEpochSecond();

    ClientCertificateCredentials.builder().tenantId(TENANT).clientId(CLIENT).certificate(certificate)
        .authorityHost(issuer.authorityHost()).build().fetch();

    Map<String, String> form = issuer.takeForm();
    assertThat(form).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .containsEntry("scope", "https://storage.azure.com/.default")
        .doesNotContainKey("client_secret");
    JwtParts assertion = JwtParts.decode(form.get("client_assertion"));
    assertThat(assertion.header()).containsEntry("alg", "PS256")
        .containsEntry("typ", "JWT")
        .containsEntry("x5t#S256", certificate.sha256Thumbprint());
    assertThat(assertion.claims()).containsEntry("iss", CLIENT)
        .containsEntry("sub", CLIENT)
        .containsEntry("aud", issuer.tokenEndpoint())
        .containsKey("jti");
    assertThat(((Number) assertion.claims().get("exp")).longValue()).isGreaterThan(before);
    assertThat(verifiesPs256(certificate, assertion)).isTrue();
  }

  @Test
  void certificateFileIsReadForEveryRequest() throws Exception {
    Path file = folder.resolve("client.pem");
    HeldCertificate first = new HeldCertificate.Builder().ecdsa256().commonName("first").build();
    HeldCertificate second = new HeldCertificate.Builder().ecdsa256().commonName("second").build();
    Files.writeString(file, first.certificatePem() + first.privateKeyPkcs8Pem());
    CredentialProvider<AccessToken> provider = ClientCertificateCredentials.builder().tenantId(TENANT)
        .clientId(CLIENT).certificateFile(file).authorityHost(issuer.authorityHost()).build();

    provider.fetch();
    Files.writeString(file, second.certificatePem() + second.privateKeyPkcs8Pem());
    provider.fetch();

    JwtParts firstAssertion = JwtParts.decode(issuer.takeForm().get("client_assertion"));
    JwtParts secondAssertion = JwtParts.decode(issuer.takeForm().get("client_assertion"));
    assertThat(firstAssertion.header()).containsEntry("x5t#S256", thumbprint(first)).containsEntry("alg", "ES256");
    assertThat(secondAssertion.header()).containsEntry("x5t#S256", thumbprint(second));
  }

  @Test
  void certificateFileIsCheckedAtBuild() {
    Path missing = folder.resolve("missing.pem");
    ClientCertificateCredentials.Builder builder = ClientCertificateCredentials.builder()
        .tenantId(TENANT).clientId(CLIENT).certificateFile(missing);

    assertThatIllegalStateException().isThrownBy(builder::build).withMessageContaining(missing.toString());
  }

  @Test
  void workloadIdentityReadsTokenFileForEveryRequest() throws IOException {
    Path tokenFile = folder.resolve("azure-identity-token");
    // mock-oauth2-server accepts an assertion only if its subject is the client id; Entra ID instead
    // matches a federated subject such as system:serviceaccount:prod:exporter against a policy.
    String firstToken = issuer.issueToken(CLIENT, "api://AzureADTokenExchange");
    String secondToken = issuer.issueToken(CLIENT, "api://AzureADTokenExchange");
    Files.writeString(tokenFile, firstToken + "\n");
    CredentialProvider<AccessToken> provider = WorkloadIdentityCredentials.builder()
        .environment(workloadEnvironment(tokenFile))
        .build();

    AccessToken token = provider.fetch();
    Files.writeString(tokenFile, secondToken);
    provider.fetch();

    Map<String, String> firstForm = issuer.takeForm();
    assertThat(firstForm).containsEntry("client_id", CLIENT)
        .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .containsEntry("client_assertion", firstToken)
        .containsEntry("scope", "https://storage.azure.com/.default");
    assertThat(issuer.takeForm()).containsEntry("client_assertion", secondToken);
    assertThat(provider.name()).isEqualTo("entra-workload-identity:" + CLIENT);
    assertThat(token.expiresAt()).isPresent();
  }

  @Test
  void workloadIdentityWithoutTokenFileIsNotConfigured() {
    Path tokenFile = folder.resolve("not-yet-projected");
    CredentialProvider<AccessToken> provider = WorkloadIdentityCredentials.builder()
        .environment(workloadEnvironment(tokenFile)).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining(tokenFile.toString());
  }

  @Test
  void workloadIdentityNamesMissingVariables() {
    WorkloadIdentityCredentials.Builder builder = WorkloadIdentityCredentials.builder()
        .environment(Map.of("AZURE_CLIENT_ID", CLIENT));

    assertThatIllegalStateException().isThrownBy(builder::build)
        .withMessageContaining("AZURE_TENANT_ID or tenantId(...)")
        .withMessageContaining("AZURE_FEDERATED_TOKEN_FILE or tokenFile(...)")
        .withMessageNotContaining("AZURE_CLIENT_ID or");
  }

  @Test
  void workloadIdentityRejectsPlainHttpAuthorityHost() {
    Map<String, String> env = Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
        "AZURE_FEDERATED_TOKEN_FILE", "/var/run/token", "AZURE_AUTHORITY_HOST", "http://login.example.com");

    assertThatIllegalStateException()
        .isThrownBy(() -> WorkloadIdentityCredentials.builder().environment(env).build())
        .withMessageContaining("AZURE_AUTHORITY_HOST");
  }

  @Test
  void publishedIdentityPlatformResponseParses() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().body(resource("azure-ad-v2-client-credentials.json"))
          .setHeader("Content-Type", "application/json").build());
      server.start(InetAddress.getLoopbackAddress(), 0);
      Instant before = Instant.now();

      AccessToken token = secretProvider(server).fetch();

      assertThat(token.token().reveal()).startsWith("eyJ0eXAiOiJKV1Qi");
      assertThat(token.isBearer()).isTrue();
      assertThat(token.expiresAt().orElseThrow()).isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3599));
    }
  }

  @Test
  void rejectedSecretIsAnOAuthError() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
          .body("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}")
          .build());
      server.start(InetAddress.getLoopbackAddress(), 0);

      Throwable rejected = catchThrowable(() -> secretProvider(server).fetch());
      Canary.recordException(rejected);

      assertThat(rejected).isInstanceOf(OAuthErrorException.class)
          .hasMessageContaining("invalid_client")
          .hasMessageNotContaining(Canary.MARKER);
    }
  }

  @Test
  void buildersRejectBadValuesAtOnce() {
    assertThatIllegalArgumentException().isThrownBy(() -> ClientSecretCredentials.builder().tenantId("common"))
        .withMessageContaining("tenantId 'common'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ClientSecretCredentials.builder().authorityHost(URI.create("http://login.example.com")))
        .withMessageContaining("authorityHost");
    assertThatIllegalArgumentException().isThrownBy(() -> ClientCertificateCredentials.builder().clientId("a b"))
        .withMessageContaining("clientId 'a b'");
    assertThatIllegalStateException().isThrownBy(() -> ClientSecretCredentials.builder().tenantId(TENANT).build())
        .withMessageContaining("clientId(...), clientSecret(...)");
    assertThatIllegalStateException()
        .isThrownBy(() -> ClientCertificateCredentials.builder().tenantId(TENANT).clientId(CLIENT).build())
        .withMessageContaining("exactly one of certificate(...) and certificateFile(...)");
  }

  private static CredentialProvider<AccessToken> secretProvider(MockWebServer server) {
    return ClientSecretCredentials.builder().tenantId(TENANT).clientId(CLIENT)
        .clientSecret(SecretValue.of(WRONG_SECRET))
        .authorityHost(URI.create("http://127.0.0.1:" + server.getPort()))
        .build();
  }

  private Map<String, String> workloadEnvironment(Path tokenFile) {
    return Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
        "AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString(),
        "AZURE_AUTHORITY_HOST", issuer.authorityHost().toString());
  }

  private static String thumbprint(HeldCertificate certificate) {
    return ClientCertificate.of(certificate.keyPair().getPrivate(), List.of(certificate.certificate()))
        .sha256Thumbprint();
  }

  private static boolean verifiesPs256(ClientCertificate certificate, JwtParts jwt) throws Exception {
    Signature verifier = Signature.getInstance("RSASSA-PSS");
    verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    verifier.initVerify(certificate.leaf().getPublicKey());
    verifier.update(jwt.signingInput());
    return verifier.verify(jwt.signature());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = EntraClientCredentialsTest.class.getResourceAsStream("/token-responses/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
