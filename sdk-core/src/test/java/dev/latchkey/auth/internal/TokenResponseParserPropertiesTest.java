package dev.latchkey.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.credentials.AccessToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the token response parser over random JSON shapes and random valid responses. */
class TokenResponseParserPropertiesTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ENDPOINT = "https://login.example.com/token";

  private final TokenResponseParser parser = new TokenResponseParser(Duration.ofMinutes(5));

  @Property(tries = 200)
  void parserFailsOnlyWithTokenEndpointException(@ForAll("jsonShapes") String body) {
    try {
      AccessToken token = parser.parse(body.getBytes(StandardCharsets.UTF_8), NOW, Set.of(), null, ENDPOINT);
      assertThat(token.token().reveal()).isNotEmpty();
    } catch (TokenEndpointException expected) {
      assertThat(expected.getMessage()).contains(ENDPOINT);
    }
  }

  @Property(tries = 200)
  void parserReadsTokenAndLifetime(@ForAll("tokens") String token, @ForAll @IntRange(min = 1, max = 86_400) int expiresIn) {
    String body = "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\"" + token + "\"}";

    AccessToken parsed = parser.parse(body.getBytes(StandardCharsets.UTF_8), NOW, Set.of(), null, ENDPOINT);

    assertThat(parsed.token().reveal()).isEqualTo(token);
    assertThat(parsed.expiresAt()).contains(NOW.plusSeconds(expiresIn));
  }

  @Provide
  Arbitrary<String> tokens() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/=")
        .ofMinLength(1).ofMaxLength(60);
  }

  @Provide
  Arbitrary<String> jsonShapes() {
    Arbitrary<String> names = Arbitraries.of("access_token", "token_type", "expires_in", "refresh_in", "scope",
        "error", "error_description", "x");
    Arbitrary<String> values = Arbitraries.of("\"abc\"", "\"Bearer\"", "\"3600\"", "3600", "-1", "0", "1e308", "null",
        "true", "[]", "{}", "\"\"", "\"not a number\"", "99999999999999999999", "{\"nested\":[1,2]}");
    Arbitrary<String> member = names.flatMap(name -> values.map(value -> "\"" + name + "\":" + value));
    Arbitrary<String> object = member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
    Arbitrary<String> cut = object.flatMap(text -> Arbitraries.integers().between(0, text.length()).map(end -> text.substring(0, end)));
    return Arbitraries.oneOf(object, cut, Arbitraries.of("", "[]", "null", "\"text\"", "<html/>", "{\"a\":1}{\"b\":2}"));
  }
}
