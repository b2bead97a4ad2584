package dev.latchkey.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.credentials.AccessToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResponseParserTest {

  private static final Instant NOW = Instant.parse("2017-09-27T03:00:00Z");
  private static final String ENDPOINT = "https://login.example.com/token";

  private final TokenResponseParser parser = new TokenResponseParser(Duration.ofMinutes(10));

  @Test
  void rfc6749ExampleParses() throws IOException {
    AccessToken token = parse(resource("rfc6749-4.4.3-client-credentials.json"));

    assertThat(token.token().reveal()).isEqualTo("2YotnFZFEjr1zCsicMWpAA");
    assertThat(token.tokenType()).isEqualTo("example");
    assertThat(token.isBearer()).isFalse();
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3600));
  }

  @Test
  void rfc8693ExampleParses() throws IOException {
    AccessToken token = parse(resource("rfc8693-token-exchange-response.json"));

    assertThat(token.isBearer()).isTrue();
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(60));
  }

  @Test
  void azureAdExampleParses() throws IOException {
    AccessToken token = parse(resource("azure-ad-v2-client-credentials.json"));

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3599));
    assertThat(token.token().reveal()).startsWith("eyJ0eXAi");
  }

  @Test
  void azureImdsExampleWithStringExpiryParses() throws IOException {
    AccessToken token = parse(resource("azure-imds-managed-identity.json"));

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3599));
    assertThat(token.isBearer()).isTrue();
  }

  @Test
  void expiresOnIsUsedWithoutExpiresIn() {
    long expiresOn = NOW.plusSeconds(900).getEpochSecond();

    AccessToken token = parse("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_on\":\"" + expiresOn + "\"}");

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(900));
  }

  @ParameterizedTest
  @ValueSource(strings = {"BEARER", "bearer", "Bearer", "bEaReR"})
  void tokenTypeComparedWithoutCase(String type) {
    AccessToken token = parse("{\"access_token\":\"t\",\"token_type\":\"" + type + "\",\"expires_in\":60}");

    assertThat(token.isBearer()).isTrue();
    assertThat(token.tokenType()).isEqualTo(type);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0|already expired", "-5|already expired", "\"0\"|already expired",
      "31536001|more than one year", "\"soon\"|whole number of seconds", "1.5|whole number of seconds",
      "true|whole number of seconds"})
  void invalidLifetimeIsRejected(String expiresIn, String reason) {
    String body = "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";

    assertThatThrownBy(() -> parse(body))
        .isInstanceOf(TokenEndpointException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining(ENDPOINT)
        .satisfies(thrown -> assertThat(((TokenEndpointException) thrown).isRetryable()).isFalse());
  }

  @Test
  void refreshInBeyondLifetimeIsIgnored() {
    AccessToken token = parse("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":60,\"refresh_in\":90}");

    assertThat(token.refreshAt()).isEmpty();
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(60));
  }

  @Test
  void grantedScopesReplaceRequestedOnes() {
    AccessToken token = new TokenResponseParser(Duration.ofMinutes(10)).parse(
        "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":60,\"scope\":\"a  b\"}"
            .getBytes(StandardCharsets.UTF_8), NOW, Set.of("a", "b", "c"), "storage", ENDPOINT);

    assertThat(token.scopes()).containsExactlyInAnyOrder("a", "b");
    assertThat(token.audience()).contains("storage");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"token_type\":\"Bearer\"}", "{\"access_token\":\"\"}", "{\"access_token\":42}",
      "[\"access_token\"]", "null"})
  void missingOrInvalidAccessTokenIsRejected(String body) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOf(TokenEndpointException.class)
        .hasMessageContaining("Invalid token response from " + ENDPOINT);
  }

  @Test
  void unknownMembersAreIgnored() {
    AccessToken token = parse("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":60,"
        + "\"nested\":{\"a\":[1,2]},\"ext_expires_in\":\"x\"}");

    assertThat(token.token().reveal()).isEqualTo("t");
  }

  private AccessToken parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8), NOW, Set.of(), null, ENDPOINT);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = TokenResponseParserTest.class.getResourceAsStream("/token-responses/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
