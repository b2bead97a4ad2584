package dev.latchkey.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.identity.ClientCertificateCredentials;
import dev.latchkey.azure.identity.ClientSecretCredentials;
import dev.latchkey.azure.identity.WorkloadIdentityCredentials;
import dev.latchkey.azure.testing.EntraTestIssuer;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The setters that the Entra ID client credentials builders share, called from outside their
 * package as an application calls them.
 */
class EntraIdBuildersApiTest {

  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String CLIENT = "3f2a1b0c-1111-2222-3333-444455556666";
  private static final String SCOPE = "https://example.blob.core.windows.net/.default";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);

  private static EntraTestIssuer issuer;
  private static HeldCertificate rsa;

  @TempDir
  Path folder;

  @BeforeAll
  static void startIssuer() {
    issuer = EntraTestIssuer.start(TENANT, TOKEN_LIFETIME);
    rsa = new HeldCertificate.Builder().rsa2048().commonName("client-one").build();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void clientSecretSharedSettersReachRequest() {
    CredentialProvider<AccessToken> provider = ClientSecretCredentials.builder()
        .scope(SCOPE)
        .clock(InstantSource.fixed(NOW))
        .httpClient(new OkHttpClient())
        .authorityHost(issuer.authorityHost())
        .clientId(CLIENT)
        .tenantId(TENANT)
        .clientSecret(SecretValue.of("app-secret"))
        .build();

    assertSharedSettingsSent(provider, "entra-client-secret:");
  }

  @Test
  void clientCertificateSharedSettersReachRequest() {
    ClientCertificate certificate = ClientCertificate.of(rsa.keyPair().getPrivate(), List.of(rsa.certificate()));
    CredentialProvider<AccessToken> provider = ClientCertificateCredentials.builder()
        .scope(SCOPE)
        .clock(InstantSource.fixed(NOW))
        .httpClient(new OkHttpClient())
        .authorityHost(issuer.authorityHost())
        .clientId(CLIENT)
        .tenantId(TENANT)
        .certificate(certificate)
        .build();

    assertSharedSettingsSent(provider, "entra-client-certificate:");
  }

  @Test
  void workloadIdentitySettersOverrideEnvironment() throws IOException {
    // mock-oauth2-server accepts a client assertion only if its subject is the client id.
    Path tokenFile = Files.writeString(folder.resolve("token"), issuer.issueToken(CLIENT, "api://AzureADTokenExchange"));
    Map<String, String> environment = Map.of(
        "AZURE_TENANT_ID", "other-tenant.example.com",
        "AZURE_CLIENT_ID", "other-client",
        "AZURE_AUTHORITY_HOST", "https://login.example.com");
    CredentialProvider<AccessToken> provider = WorkloadIdentityCredentials.builder()
        .environment(environment)
        .scope(SCOPE)
        .clock(InstantSource.fixed(NOW))
        .httpClient(new OkHttpClient())
        .authorityHost(issuer.authorityHost())
        .clientId(CLIENT)
        .tenantId(TENANT)
        .tokenFile(tokenFile)
        .build();

    assertSharedSettingsSent(provider, "entra-workload-identity:");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(classes = {
      ClientSecretCredentials.class, ClientCertificateCredentials.class, WorkloadIdentityCredentials.class})
  void sharedSettersRejectBadValues(Class<?> credentials) {
    Supplier<Object> builder = () -> newBuilder(credentials);

    assertThatThrownBy(() -> call(builder.get(), "tenantId", String.class, "common"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid tenantId 'common': ");
    assertThatThrownBy(() -> call(builder.get(), "clientId", String.class, "a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid clientId 'a b': ");
    assertThatThrownBy(() -> call(builder.get(), "authorityHost", URI.class, URI.create("http://login.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("authorityHost");
    assertThatThrownBy(() -> call(builder.get(), "scope", String.class, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid scope ' ': it must not be blank");
    assertThatThrownBy(() -> call(builder.get(), "httpClient", OkHttpClient.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("httpClient");
    assertThatThrownBy(() -> call(builder.get(), "clock", InstantSource.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(classes = {
      ClientSecretCredentials.class, ClientCertificateCredentials.class, WorkloadIdentityCredentials.class})
  void sharedSettersReturnSameBuilder(Class<?> credentials) throws Throwable {
    Object builder = newBuilder(credentials);

    assertThat(call(builder, "tenantId", String.class, TENANT)).isSameAs(builder);
    assertThat(call(builder, "clientId", String.class, CLIENT)).isSameAs(builder);
    assertThat(call(builder, "authorityHost", URI.class, issuer.authorityHost())).isSameAs(builder);
    assertThat(call(builder, "scope", String.class, SCOPE)).isSameAs(builder);
    assertThat(call(builder, "httpClient", OkHttpClient.class, new OkHttpClient())).isSameAs(builder);
    assertThat(call(builder, "clock", InstantSource.class, InstantSource.system())).isSameAs(builder);
  }

  private static void assertSharedSettingsSent(CredentialProvider<AccessToken> provider, String namePrefix) {
    AccessToken token = provider.fetch();

    var request = issuer.takeRequest();
    Map<String, String> form = EntraTestIssuer.parseForm(request.getBody().readUtf8());
    assertThat(request.getPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
    assertThat(form).containsEntry("client_id", CLIENT).containsEntry("scope", SCOPE);
    // mock-oauth2-server may round expires_in down by a second.
    assertThat(token.expiresAt()).hasValueSatisfying(expiry ->
        assertThat(expiry).isBetween(NOW.plus(TOKEN_LIFETIME).minusSeconds(5), NOW.plus(TOKEN_LIFETIME)));
    assertThat(provider.name()).isEqualTo(namePrefix + CLIENT);
  }

  /** Calls the public static {@code builder()} of a credentials class. */
  private static Object newBuilder(Class<?> credentials) {
    try {
      return credentials.getMethod("builder").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Calls a public setter by reflection, as frameworks that bind configuration do. */
  private static <T> Object call(Object builder, String setter, Class<T> type, T value) throws Throwable {
    Method method = builder.getClass().getMethod(setter, type);
    try {
      return method.invoke(builder, value);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
