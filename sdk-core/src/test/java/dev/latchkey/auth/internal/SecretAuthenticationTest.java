package dev.latchkey.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretAuthenticationTest {

  @Test
  void basicCredentialsAreFormEncodedFirst() {
    String header = SecretAuthentication.basicAuthorization("id with space", SecretValue.of("p@ss:w/rd~"));

    String decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.US_ASCII);

    assertThat(header).startsWith("Basic ");
    assertThat(decoded).isEqualTo("id+with+space:p%40ss%3Aw%2Frd%7E");
  }

  @Test
  void parametersPrintNoValues() {
    ClientAuthentication authentication = ClientAuthentication.clientSecretPost("exporter", SecretValue.of("canary-9d2"));

    ClientAuthentication.Parameters parameters =
        authentication.parameters(URI.create("https://login.example.com/token"), Instant.EPOCH);

    assertThat(parameters.formParameters()).containsEntry("client_secret", "canary-9d2");
    assertThat(parameters.toString()).contains("client_secret").doesNotContain("canary-9d2");
    assertThat(authentication.toString()).contains("exporter").doesNotContain("canary-9d2");
  }
}
