package dev.latchkey.credentials.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.SharedKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentCredentialProviderTest {

  private final Map<String, String> environment = new HashMap<>();

  @Test
  void readsApiKeyFromNamedVariable() {
    environment.put("PAYMENTS_API_KEY", "payments-key-value");
    EnvironmentCredentialProvider<ApiKey> provider =
        EnvironmentCredentialProvider.apiKey("PAYMENTS_API_KEY").environment(environment::get).build();

    ApiKey key = provider.fetch();

    assertThat(key.key().reveal()).isEqualTo("payments-key-value");
    assertThat(key.expiresAt()).isEmpty();
    assertThat(provider.name()).isEqualTo("environment");
  }

  @Test
  void readsAwsKeysWithSessionToken() {
    environment.putAll(Map.of(
        "AWS_ACCESS_KEY_ID", "ASIAENVEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "env-secret",
        "AWS_SESSION_TOKEN", "env-session"));
    EnvironmentCredentialProvider<AwsCredentials> provider =
        EnvironmentCredentialProvider.aws().environment(environment::get).build();

    AwsCredentials credentials = provider.fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAENVEXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("env-secret");
    assertThat(credentials.sessionToken()).map(token -> token.reveal()).contains("env-session");
  }

  @Test
  void readsAwsKeysFromCustomNames() {
    environment.putAll(Map.of("APP_KEY_ID", "AKIACUSTOM", "APP_SECRET", "custom-secret"));
    EnvironmentCredentialProvider<AwsCredentials> provider = EnvironmentCredentialProvider
        .aws("APP_KEY_ID", "APP_SECRET", "APP_SESSION")
        .environment(environment::get)
        .build();

    AwsCredentials credentials = provider.fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIACUSTOM");
    assertThat(credentials.sessionToken()).isEmpty();
  }

  @Test
  void readsSharedKeyAndBearerToken() {
    environment.putAll(Map.of("ACCOUNT", "devstoreaccount1", "ACCOUNT_KEY", "a2V5", "TOKEN", "env-token"));

    SharedKey sharedKey = EnvironmentCredentialProvider.sharedKey("ACCOUNT", "ACCOUNT_KEY")
        .environment(environment::get).build().fetch();
    AccessToken token = EnvironmentCredentialProvider.bearerToken("TOKEN")
        .environment(environment::get).build().fetch();

    assertThat(sharedKey.accountName()).isEqualTo("devstoreaccount1");
    assertThat(token.token().reveal()).isEqualTo("env-token");
    assertThat(token.isBearer()).isTrue();
  }

  @Test
  void unsetVariablesAreNotConfigured() {
    environment.put("AWS_ACCESS_KEY_ID", "");
    EnvironmentCredentialProvider<AwsCredentials> provider =
        EnvironmentCredentialProvider.aws().environment(environment::get).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessage("No credential in the environment: none of "
            + "[AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN] is set");
  }

  @Test
  void partialVariablesFailWithName() {
    environment.put("AWS_ACCESS_KEY_ID", "AKIAPARTIAL");
    EnvironmentCredentialProvider<AwsCredentials> provider =
        EnvironmentCredentialProvider.aws().environment(environment::get).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialException.class)
        .isNotInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("variable AWS_SECRET_ACCESS_KEY is not set")
        .matches(e -> !((CredentialException) e).isRetryable());
  }

  @Test
  void invalidValueFailsWithoutValue() {
    environment.putAll(Map.of("ACCOUNT", "account", "ACCOUNT_KEY", "not base64 !"));
    EnvironmentCredentialProvider<SharedKey> provider =
        EnvironmentCredentialProvider.sharedKey("ACCOUNT", "ACCOUNT_KEY").environment(environment::get).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("it is not Base64")
        .hasMessageNotContaining("not base64 !");
  }

  @Test
  void rereadsVariablesOnEachFetch() {
    environment.put("API_KEY", "first-key");
    EnvironmentCredentialProvider<ApiKey> provider =
        EnvironmentCredentialProvider.apiKey("API_KEY").environment(environment::get).build();
    ApiKey first = provider.fetch();

    environment.put("API_KEY", "second-key");

    assertThat(provider.fetch().id()).isNotEqualTo(first.id());
  }

  @Test
  void rejectsInvalidVariableName() {
    assertThatThrownBy(() -> EnvironmentCredentialProvider.apiKey("A=B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid environment variable name 'A=B': use a non-empty name without '='");
  }
}
