package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.latchkey.signing.SignableRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Places a random secret under every sensitive name, in random letter case and encoding, in each
 * position the redactor handles, and checks that neither the secret nor its encoded form survives.
 */
class RedactorPropertiesTest {

  private static final List<String> NAMES = List.of(
      "sig", "X-Amz-Signature", "X-Amz-Security-Token", "Authorization", "Proxy-Authorization",
      "x-ms-copy-source-authorization", "client_secret", "client_assertion", "assertion",
      "subject_token", "actor_token", "access_token", "refresh_token", "id_token", "password");

  private static final String TOKEN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=";

  @Property
  void secretNeverSurvivesInQueryString(@ForAll("names") String name, @ForAll("secrets") String secret,
      @ForAll("fillers") String before, @ForAll("fillers") String after) {
    String url = "https://h.example/p/k?" + before + "&" + encodedName(name) + "=" + encode(secret) + "&" + after;

    String redacted = Redactor.url(url);

    assertNoSecret(redacted, secret);
  }

  @Property
  void secretNeverSurvivesInFormBody(@ForAll("names") String name, @ForAll("secrets") String secret,
      @ForAll("fillers") String before) {
    String body = before + "&" + encodedName(name) + "=" + encode(secret);

    assertNoSecret(Redactor.form(body), secret);
    assertNoSecret(Redactor.body("application/x-www-form-urlencoded", body), secret);
  }

  @Property
  void secretNeverSurvivesInNestedEncodedUrl(@ForAll("names") String name, @ForAll("secrets") String secret) {
    String inner = "https://a.example/c/b?sv=1&" + name + "=" + encode(secret);
    String url = "https://h.example/copy?source=" + encode(inner) + "&x=1";

    assertNoSecret(Redactor.url(url), secret);
  }

  @Property
  void secretNeverSurvivesInJsonBody(@ForAll("names") String name, @ForAll("secrets") String secret,
      @ForAll boolean escapeName, @ForAll boolean nestInObject) {
    String jsonName = escapeName ? unicodeEscaped(name) : name;
    String member = "\"" + jsonName + "\":\"" + jsonEscape(secret) + "\"";
    String json = nestInObject
        ? "{\"outer\":{\"n\":1," + member + "},\"list\":[true,null]}"
        : "{" + member + ",\"expires_in\":60}";

    assertNoSecret(Redactor.json(json), secret);
    assertNoSecret(Redactor.body("application/json", json), secret);
  }

  @Property
  void secretNeverSurvivesInHeaderList(@ForAll("names") String name, @ForAll("secrets") String secret,
      @ForAll boolean withScheme) {
    String value = withScheme ? "Bearer " + secret : secret;
    List<SignableRequest.Header> headers = List.of(
        new SignableRequest.Header("Host", "h.example"), new SignableRequest.Header(name, value));

    List<SignableRequest.Header> redacted = Redactor.headers(headers);

    redacted.forEach(header -> assertNoSecret(header.value(), secret));
    Redactor.headers(Map.of(name, List.of(value))).values().forEach(values -> values.forEach(v -> assertNoSecret(v, secret)));
  }

  @Property
  void secretNeverSurvivesInFreeText(@ForAll("names") String name, @ForAll("secrets") String secret,
      @ForAll("separators") String separator) {
    String text = "request failed: " + name + separator + secret + " after 3 attempts";

    assertNoSecret(Redactor.text(text), secret);
  }

  @Property
  void secretNeverSurvivesInHeaderLineOrXml(@ForAll("names") String name, @ForAll("secrets") String secret) {
    String text = "GET /k\n" + name + ": " + secret + "\n<" + name + ">" + secret + "</" + name + ">";

    assertNoSecret(Redactor.text(text), secret);
  }

  @Provide
  Arbitrary<String> names() {
    return Combinators.combine(Arbitraries.of(NAMES), Arbitraries.longs())
        .as(RedactorPropertiesTest::randomCase);
  }

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(12).ofMaxLength(64)
        .map(random -> "S3c" + random);
  }

  @Provide
  Arbitrary<String> fillers() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(word -> word + "=" + word);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of("=", ": ", ":", " = ", "\":\"", "%3D");
  }

  private static String randomCase(String name, long bits) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      String c = String.valueOf(name.charAt(i));
      out.append(((bits >>> (i % 64)) & 1) == 0 ? c.toLowerCase(Locale.ROOT) : c.toUpperCase(Locale.ROOT));
    }
    return out.toString();
  }

  /** Percent-encodes every character of the name on odd lengths, none on even ones. */
  private static String encodedName(String name) {
    if (name.length() % 2 == 0) {
      return name;
    }
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(String.format("%02X", b));
    }
    return out.toString();
  }

  private static String unicodeEscaped(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      out.append(String.format("\\u%04x", (int) c));
    }
    return out.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String jsonEscape(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }

  private static void assertNoSecret(String redacted, String secret) {
    assertThat(redacted).doesNotContain(secret);
    assertThat(redacted).doesNotContain(encode(secret));
    assertThat(redacted).doesNotContain(jsonEscape(secret));
  }
}
