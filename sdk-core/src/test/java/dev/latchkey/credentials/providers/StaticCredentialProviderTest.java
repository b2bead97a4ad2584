package dev.latchkey.credentials.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import org.junit.jupiter.api.Test;

class StaticCredentialProviderTest {

  @Test
  void returnsSameCredentialEveryTime() {
    AwsCredentials credentials = AwsCredentials.of("AKIASTATIC", SecretValue.of("static-secret"));
    StaticCredentialProvider<AwsCredentials> provider = StaticCredentialProvider.of(credentials);

    assertThat(provider.fetch()).isSameAs(credentials);
    assertThat(provider.fetch()).isSameAs(credentials);
    assertThat(provider.name()).isEqualTo("static");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> StaticCredentialProvider.of(null)).isInstanceOf(NullPointerException.class);
  }
}
