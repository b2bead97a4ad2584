package dev.latchkey.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.identity.DefaultAzureCredentials;
import dev.latchkey.azure.identity.EnvironmentCredentials;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The setters that the environment and default chain builders share, called from outside their
 * package as an application calls them.
 */
class EnvironmentSourceBuildersApiTest {

  static Stream<Supplier<Object>> builders() {
    return Stream.of(EnvironmentCredentials::builder, DefaultAzureCredentials::builder);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void sharedSettersWorkThroughReflection(Supplier<Object> newBuilder) throws ReflectiveOperationException {
    Object builder = newBuilder.get();
    Class<?> type = builder.getClass();

    assertThat(type.getMethod("environment", Map.class).invoke(builder, Map.of())).isSameAs(builder);
    assertThat(type.getMethod("scope", String.class).invoke(builder, "https://storage.azure.com/.default"))
        .isSameAs(builder);
    assertThat(type.getMethod("httpClient", OkHttpClient.class).invoke(builder, new OkHttpClient()))
        .isSameAs(builder);
    assertThat(type.getMethod("clock", InstantSource.class).invoke(builder, InstantSource.system()))
        .isSameAs(builder);
  }

  @ParameterizedTest
  @MethodSource("builders")
  void blankScopeIsRejected(Supplier<Object> newBuilder) throws ReflectiveOperationException {
    Object builder = newBuilder.get();
    Method scope = builder.getClass().getMethod("scope", String.class);

    assertThatThrownBy(() -> invoke(scope, builder, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid scope");
  }

  @Test
  void environmentSetterIsRead() {
    EnvironmentCredentials.Builder builder = EnvironmentCredentials.builder()
        .environment(Map.of("AZURE_CLIENT_SECRET", "unused-secret"))
        .scope("https://storage.azure.com/.default")
        .httpClient(new OkHttpClient())
        .clock(InstantSource.system());

    assertThatThrownBy(builder.build()::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("AZURE_TENANT_ID and AZURE_CLIENT_ID are not set")
        .hasMessageNotContaining("unused-secret");
  }

  private static Object invoke(Method method, Object target, Object argument) throws Throwable {
    try {
      return method.invoke(target, argument);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
