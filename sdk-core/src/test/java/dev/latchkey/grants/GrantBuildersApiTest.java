package dev.latchkey.grants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.JwtBearerProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.auth.TokenExchangeProvider;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The setters that the grant provider builders share, called from outside their package as an
 * application calls them: each must return its own builder type, work through reflection, and put
 * its parameters into the token request.
 */
class GrantBuildersApiTest {

  private static final String TOKEN_RESPONSE =
      "{\"access_token\":\"issued-token\",\"token_type\":\"Bearer\",\"expires_in\":300}";
  private static final CredentialProvider<AccessToken> SUBJECT_TOKENS =
      () -> AccessToken.bearer(SecretValue.of("subject-jwt"), Instant.parse("2099-01-01T00:00:00Z"));

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void startServer() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void clientCredentialsSendsSharedParameters() throws InterruptedException {
    ClientCredentialsProvider provider = ClientCredentialsProvider.builder()
        .scopes("storage.read", "storage.write")
        .audience("reports")
        .resource(URI.create("https://storage.example/reports"))
        .tokenEndpoint(endpoint())
        .build();

    assertSharedParametersSent(provider);
  }

  @Test
  void jwtBearerSendsSharedParameters() throws InterruptedException {
    JwtBearerProvider provider = JwtBearerProvider.builder()
        .scopes("storage.read", "storage.write")
        .audience("reports")
        .resource(URI.create("https://storage.example/reports"))
        .tokenEndpoint(endpoint())
        .assertion(SUBJECT_TOKENS)
        .build();

    assertSharedParametersSent(provider);
  }

  @Test
  void tokenExchangeSendsSharedParameters() throws InterruptedException {
    TokenExchangeProvider provider = TokenExchangeProvider.builder()
        .scopes("storage.read", "storage.write")
        .audience("reports")
        .resource(URI.create("https://storage.example/reports"))
        .tokenEndpoint(endpoint())
        .subjectToken(SUBJECT_TOKENS, TokenExchangeProvider.JWT_TYPE)
        .build();

    assertSharedParametersSent(provider);
  }

  static Stream<Supplier<Object>> builders() {
    return Stream.of(ClientCredentialsProvider::builder, JwtBearerProvider::builder, TokenExchangeProvider::builder);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void sharedSettersWorkThroughReflection(Supplier<Object> newBuilder) throws ReflectiveOperationException {
    Object builder = newBuilder.get();
    Class<?> type = builder.getClass();

    Method scopes = type.getMethod("scopes", String[].class);
    Method audience = type.getMethod("audience", String.class);
    Method resource = type.getMethod("resource", URI.class);

    assertThat(scopes.invoke(builder, (Object) new String[] {"storage.read"})).isSameAs(builder);
    assertThat(audience.invoke(builder, "reports")).isSameAs(builder);
    assertThat(resource.invoke(builder, URI.create("https://storage.example"))).isSameAs(builder);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void buildWithoutEndpointNamesSetter(Supplier<Object> newBuilder) throws ReflectiveOperationException {
    Object builder = newBuilder.get();
    Method build = builder.getClass().getMethod("build");

    assertThatThrownBy(() -> invoke(build, builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a token endpoint: call tokenEndpoint(...)");
  }

  private void assertSharedParametersSent(CredentialProvider<AccessToken> provider) throws InterruptedException {
    server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "application/json")
        .body(TOKEN_RESPONSE).build());

    provider.fetch();

    RecordedRequest request = server.takeRequest();
    HttpUrl form = HttpUrl.get("http://form.invalid/?" + request.getBody().utf8());
    assertThat(form.queryParameterValues("scope")).containsExactly("storage.read storage.write");
    assertThat(form.queryParameterValues("audience")).containsExactly("reports");
    assertThat(form.queryParameterValues("resource")).containsExactly("https://storage.example/reports");
  }

  private TokenEndpoint endpoint() {
    return TokenEndpoint.builder()
        .uri(server.url("/token").uri())
        .clientAuthentication(ClientAuthentication.clientSecretBasic("reports-app", SecretValue.of("app-secret")))
        .build();
  }

  private static Object invoke(Method method, Object target) throws Throwable {
    try {
      return method.invoke(target);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
