package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The search for canary secrets finds each encoding a leak could take, inside longer text and at
 * every byte offset, and stays silent on text without one. No test here logs or prints a canary,
 * because the scan of the whole suite's output would then find it.
 */
class CanaryTest {

  private static final String LISTED = "issued-secret-Qm9vdHN0cmFwS2V5/+=";

  @Test
  void findsRawSecretsAndMarker() {
    assertThat(Canary.findIn("client_secret=" + Canary.secret("client") + "&x=1", List.of())).isNotEmpty();
    assertThat(Canary.findIn("key " + LISTED + " end", List.of(LISTED))).isNotEmpty();
  }

  @Test
  void findsUrlEncodedSecrets() {
    String encoded = URLEncoder.encode(Canary.secret("form"), StandardCharsets.UTF_8);

    assertThat(encoded).doesNotContain(Canary.secret("form"));
    assertThat(Canary.findIn("client_secret=" + encoded, List.of())).isNotEmpty();
    assertThat(Canary.findIn("a=" + URLEncoder.encode(LISTED, StandardCharsets.UTF_8), List.of(LISTED))).isNotEmpty();
    assertThat(Canary.findIn("a=" + URLEncoder.encode(LISTED, StandardCharsets.UTF_8), List.of())).isEmpty();
  }

  @Test
  void findsBase64AtEveryOffset() {
    for (String prefix : List.of("", "a", "ab", "abc", "user:")) {
      for (String secret : List.of(Canary.secret("basic"), LISTED)) {
        byte[] bytes = (prefix + secret + ":tail").getBytes(StandardCharsets.UTF_8);
        String standard = Base64.getEncoder().encodeToString(bytes);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThat(Canary.findIn("Authorization: Basic " + standard, List.of(LISTED)))
            .as("standard Base64 after %d bytes", prefix.length()).isNotEmpty();
        assertThat(Canary.findIn("jwt." + urlSafe + ".sig", List.of(LISTED)))
            .as("URL-safe Base64 after %d bytes", prefix.length()).isNotEmpty();
      }
    }
  }

  @Test
  void findsListedSecretOnlyWhenListed() {
    String encoded = Base64.getEncoder().encodeToString(("x" + LISTED).getBytes(StandardCharsets.UTF_8));

    assertThat(Canary.findIn(encoded, List.of())).isEmpty();
    assertThat(Canary.findIn(encoded, List.of(LISTED))).isNotEmpty().allMatch(hit -> hit.startsWith("listed secret #1 "));
  }

  @Test
  void ignoresTextWithoutSecret() {
    String text = "GET /reports?sig=REDACTED HTTP/1.1 403 AuthenticationFailed LatchkeyCanary";

    assertThat(Canary.findIn(text, List.of(LISTED))).isEmpty();
  }

  @Test
  void hitDescriptionsOmitTheSecret() {
    List<String> hits = Canary.findIn(LISTED + Canary.MARKER, List.of(LISTED));

    assertThat(hits).hasSize(2);
    assertThat(hits).noneMatch(hit -> hit.contains(LISTED) || hit.contains(Canary.MARKER));
  }

  @Test
  void accountKeyIsValidBase64WithMarker() {
    String key = Canary.base64Key("primary-1");

    assertThat(key).hasSize(88).startsWith(Canary.MARKER + "primary1");
    assertThat(Base64.getDecoder().decode(key)).hasSize(66);
  }

  @Test
  void signatureIsBase64OfHmacLength() {
    String signature = Canary.signature("sas");

    assertThat(signature).hasSize(44).startsWith(Canary.MARKER).endsWith("=");
    assertThat(Base64.getDecoder().decode(signature)).hasSize(32);
  }

  @Test
  void overlongLabelIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Canary.signature("x".repeat(40)))
        .withMessageContaining("maximum is 43");
  }
}
