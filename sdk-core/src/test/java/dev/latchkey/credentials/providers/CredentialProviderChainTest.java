package dev.latchkey.credentials.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CredentialProviderChainTest {

  private static final ApiKey KEY = ApiKey.of(SecretValue.of("chain-key"), "chain", null);

  private static CredentialProvider<ApiKey> named(String name, CredentialProvider<ApiKey> fetch) {
    return new CredentialProvider<>() {
      @Override
      public ApiKey fetch() {
        return fetch.fetch();
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private static CredentialProvider<ApiKey> notConfigured(String name) {
    return named(name, () -> {
      throw new CredentialNotConfiguredException(name + " is not set up");
    });
  }

  @Test
  void returnsFirstCredential() {
    AtomicInteger laterCalls = new AtomicInteger();
    CredentialProviderChain<ApiKey> chain = CredentialProviderChain.of(
        notConfigured("environment"),
        StaticCredentialProvider.of(KEY),
        named("later", () -> {
          laterCalls.incrementAndGet();
          return KEY;
        }));

    assertThat(chain.fetch()).isSameAs(KEY);
    assertThat(laterCalls).hasValue(0);
    assertThat(chain.name()).isEqualTo("chain[environment, static, later]");
  }

  @Test
  void listsEveryOutcomeWhenAllFail() {
    CredentialProviderChain<ApiKey> chain = CredentialProviderChain.of(
        notConfigured("environment"),
        named("metadata", () -> {
          throw new CredentialException("endpoint 127.0.0.1:1 timed out", true);
        }),
        named("file", () -> {
          throw new CredentialException("Missing field 'key' in credential file key.json", false);
        }),
        named("buggy", () -> {
          throw new IllegalStateException("leaked-value-in-message");
        }));

    CredentialChainException failure = catchThrowableOfType(CredentialChainException.class, chain::fetch);

    assertThat(failure.outcomes()).extracting(ProviderOutcome::providerName)
        .containsExactly("environment", "metadata", "file", "buggy");
    assertThat(failure.outcomes()).extracting(ProviderOutcome::status).containsExactly(
        ProviderOutcome.Status.NOT_CONFIGURED,
        ProviderOutcome.Status.UNAVAILABLE,
        ProviderOutcome.Status.FAILED,
        ProviderOutcome.Status.FAILED);
    assertThat(failure.getMessage()).isEqualTo(
        "No provider of chain[environment, metadata, file, buggy] returned a credential; configure one of them:"
            + "\n  environment: not configured (environment is not set up)"
            + "\n  metadata: unavailable (endpoint 127.0.0.1:1 timed out)"
            + "\n  file: failed (Missing field 'key' in credential file key.json)"
            + "\n  buggy: failed (java.lang.IllegalStateException)");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(failure.isNotConfigured()).isFalse();
  }

  @Test
  void allNotConfiguredIsNotRetryable() {
    CredentialProviderChain<ApiKey> chain = CredentialProviderChain.of(notConfigured("a"), notConfigured("b"));

    CredentialChainException failure = catchThrowableOfType(CredentialChainException.class, chain::fetch);

    assertThat(failure.isNotConfigured()).isTrue();
    assertThat(failure.isRetryable()).isFalse();
  }

  @Test
  void nestedUnconfiguredChainIsNotConfigured() {
    CredentialProviderChain<ApiKey> inner = CredentialProviderChain.of(notConfigured("a"));
    CredentialProviderChain<ApiKey> outer = CredentialProviderChain.of(inner, notConfigured("b"));

    CredentialChainException failure = catchThrowableOfType(CredentialChainException.class, outer::fetch);

    assertThat(failure.outcomes().get(0).status()).isEqualTo(ProviderOutcome.Status.NOT_CONFIGURED);
    assertThat(failure.isNotConfigured()).isTrue();
  }

  @Test
  void nullCredentialIsFailure() {
    CredentialProviderChain<ApiKey> chain = CredentialProviderChain.of(named("broken", () -> null));

    CredentialChainException failure = catchThrowableOfType(CredentialChainException.class, chain::fetch);

    assertThat(failure.outcomes().get(0).status()).isEqualTo(ProviderOutcome.Status.FAILED);
    assertThat(failure.outcomes().get(0).reason()).contains("returned null");
  }

  @Test
  void worksWithEnvironmentProvider() {
    CredentialProviderChain<ApiKey> chain = CredentialProviderChain.of(
        EnvironmentCredentialProvider.apiKey("API_KEY").environment(Map.<String, String>of()::get).build(),
        StaticCredentialProvider.of(KEY));

    assertThat(chain.fetch()).isSameAs(KEY);
  }

  @Test
  void rejectsEmptyChain() {
    assertThatThrownBy(() -> CredentialProviderChain.<ApiKey>of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A credential provider chain needs at least one provider");
  }
}
