package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentCredentialsProviderTest {

  private final Map<String, String> environment = new HashMap<>();
  private final EnvironmentCredentialsProvider provider =
      EnvironmentCredentialsProvider.builder().environment(environment).build();

  @Test
  void readsStaticKeys() {
    environment.put("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE");
    environment.put("AWS_SECRET_ACCESS_KEY", "env-secret");

    AwsCredentials credentials = provider.fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIAENVEXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("env-secret");
    assertThat(credentials.sessionToken()).isEmpty();
    assertThat(credentials.expiresAt()).isEmpty();
  }

  @Test
  void readsSessionTokenAndExpiryOnEveryFetch() {
    environment.put("AWS_ACCESS_KEY_ID", "ASIAFIRST");
    environment.put("AWS_SECRET_ACCESS_KEY", "first");
    assertThat(provider.fetch().accessKeyId()).isEqualTo("ASIAFIRST");

    environment.put("AWS_ACCESS_KEY_ID", "ASIASECOND");
    environment.put("AWS_SESSION_TOKEN", "session");
    environment.put("AWS_CREDENTIAL_EXPIRATION", "2026-06-01T00:00:00Z");
    AwsCredentials credentials = provider.fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIASECOND");
    assertThat(credentials.sessionToken().orElseThrow().reveal()).isEqualTo("session");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2026-06-01T00:00:00Z"));
  }

  @Test
  void reportsNotConfiguredWithoutVariables() {
    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("AWS_ACCESS_KEY_ID");
  }

  @Test
  void rejectsKeyIdWithoutSecret() {
    environment.put("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE");

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialException.class)
        .isNotInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("AWS_SECRET_ACCESS_KEY is not set");
  }
}
