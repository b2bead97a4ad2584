package dev.latchkey.azure.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManagedIdentityTokenParserTest {

  private static final String SCOPE = "https://storage.azure.com/.default";
  private static final String RESOURCE = "https://storage.azure.com";
  private static final Instant NOW = Instant.parse("2019-06-20T01:00:00Z");

  private final ManagedIdentityTokenParser parser = new ManagedIdentityTokenParser("IMDS");

  @Test
  void parsesPublishedImdsResponse() throws IOException {
    Instant notBefore = Instant.ofEpochSecond(1506480273L);

    AccessToken token = parser.parse(resource("azure-imds-managed-identity.json"), SCOPE, RESOURCE, notBefore);

    assertThat(token.token().reveal()).isEqualTo("eyJ0eXAi...");
    assertThat(token.expiresAt()).contains(Instant.ofEpochSecond(1506484173L));
    assertThat(token.audience()).contains("https://management.azure.com/");
    assertThat(token.isBearer()).isTrue();
    assertThat(token.scopes()).containsExactly(SCOPE);
  }

  @Test
  void readsExpiresOnAsNumber() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_on\":1561000678}");

    assertThat(token.expiresAt()).contains(Instant.ofEpochSecond(1561000678L));
  }

  @Test
  void readsExpiresOnAsString() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_on\":\"1561000678\"}");

    assertThat(token.expiresAt()).contains(Instant.ofEpochSecond(1561000678L));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "06/20/2019 02:57:58 +00:00 | 2019-06-20T02:57:58Z",
      "6/20/2019 2:57:58 +00:00   | 2019-06-20T02:57:58Z",
      "06/20/2019 04:57:58 +02:00 | 2019-06-20T02:57:58Z",
      "6/20/2019 2:57:58 AM +00:00 | 2019-06-20T02:57:58Z",
      "6/20/2019 2:57:58 PM +00:00 | 2019-06-20T14:57:58Z"})
  void readsExpiresOnAsAppServiceDate(String date, String expected) {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_on\":\"" + date + "\"}");

    assertThat(token.expiresAt()).contains(Instant.parse(expected));
  }

  @Test
  void readsExpiresInAsString() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_in\":\"3599\"}");

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3599));
  }

  @Test
  void readsExpiresInAsNumber() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_in\":3599}");

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3599));
  }

  @Test
  void prefersExpiresOnOverExpiresIn() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_in\":\"60\",\"expires_on\":\"1561000678\"}");

    assertThat(token.expiresAt()).contains(Instant.ofEpochSecond(1561000678L));
  }

  @Test
  void readsRefreshIn() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_in\":\"3600\",\"refresh_in\":\"1800\"}");

    assertThat(token.refreshAt()).contains(NOW.plusSeconds(1800));
  }

  @Test
  void keepsTokenTypeAsWritten() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_in\":60,\"token_type\":\"bearer\"}");

    assertThat(token.tokenType()).isEqualTo("bearer");
    assertThat(token.isBearer()).isTrue();
  }

  @Test
  void audienceDefaultsToRequestedResource() {
    AccessToken token = parse("{\"access_token\":\"t\",\"expires_in\":60}");

    assertThat(token.audience()).contains(RESOURCE);
  }

  @Test
  void rejectsResponseWithoutLifetime() {
    assertThatThrownBy(() -> parse("{\"access_token\":\"t\"}"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("neither expires_on nor expires_in")
        .extracting(e -> ((CredentialException) e).isRetryable()).isEqualTo(false);
  }

  @Test
  void rejectsUnreadableExpiresOn() {
    assertThatThrownBy(() -> parse("{\"access_token\":\"t\",\"expires_on\":\"tomorrow\"}"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("expires_on 'tomorrow'");
  }

  @Test
  void rejectsNegativeExpiresIn() {
    assertThatThrownBy(() -> parse("{\"access_token\":\"t\",\"expires_in\":-5}"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("expires_in '-5'");
  }

  @Test
  void rejectsExpiresOnInMilliseconds() {
    long millis = NOW.plusSeconds(3600).toEpochMilli();

    assertThatThrownBy(() -> parse("{\"access_token\":\"t\",\"expires_on\":" + millis + "}"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("milliseconds");
  }

  @Test
  void rejectsTokenThatAlreadyExpired() {
    assertThatThrownBy(() -> parse("{\"access_token\":\"t\",\"expires_on\":\"1506484173\"}"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("expired at 2017-09-27T03:49:33Z");
  }

  @Test
  void rejectsMissingAccessToken() {
    assertThatThrownBy(() -> parse("{\"access_token\":\"\",\"expires_in\":60}"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("access_token is missing");
  }

  @Test
  void rejectsBodiesThatAreNotObjects() {
    assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> parse("<html>")).hasMessageContaining("not valid JSON");
  }

  @Test
  void malformedBodyDoesNotLeakTokenText() {
    String body = "{\"access_token\": eyJsecretpart, \"expires_in\": 60}";

    assertThatThrownBy(() -> parse(body))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("line 1")
        .hasMessageNotContaining("eyJsecretpart");
  }

  @Property
  void epochSecondsParseAlikeAsNumberAndString(
      @ForAll @LongRange(min = 1, max = 366L * 24 * 3600 - 1) long secondsAhead) {
    long epoch = NOW.getEpochSecond() + secondsAhead;

    AccessToken fromNumber = parse("{\"access_token\":\"t\",\"expires_on\":" + epoch + "}");
    AccessToken fromString = parse("{\"access_token\":\"t\",\"expires_on\":\"" + epoch + "\"}");

    assertThat(fromNumber.expiresAt()).contains(Instant.ofEpochSecond(epoch));
    assertThat(fromString.expiresAt()).isEqualTo(fromNumber.expiresAt());
  }

  @Property(tries = 200)
  void appServiceDatesParseToTheSameInstant(
      @ForAll @LongRange(min = 1, max = 366L * 24 * 3600 - 1) long secondsAhead) {
    OffsetDateTime expiry = OffsetDateTime.ofInstant(NOW.plusSeconds(secondsAhead), ZoneOffset.UTC);
    String date = String.format("%02d/%02d/%d %02d:%02d:%02d +00:00", expiry.getMonthValue(),
        expiry.getDayOfMonth(), expiry.getYear(), expiry.getHour(), expiry.getMinute(), expiry.getSecond());

    AccessToken token = parse("{\"access_token\":\"t\",\"expires_on\":\"" + date + "\"}");

    assertThat(token.expiresAt()).contains(expiry.toInstant());
  }

  private AccessToken parse(String body) {
    return parser.parse(body, SCOPE, RESOURCE, NOW);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ManagedIdentityTokenParserTest.class.getResourceAsStream("/token-responses/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
