package dev.latchkey.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the hand-written encoders and checks on the signing hot path, each against the JDK
 * or regular-expression form it replaces.
 */
class SigningBufferPropertiesTest {

  private static final Pattern CONTAINER_NAME =
      Pattern.compile("\\$root|\\$web|\\$logs|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  @Property(tries = 500)
  void appendWritesUtf8LikeGetBytes(@ForAll("texts") String text) {
    SigningBuffer buffer = SigningBuffer.current();

    buffer.append("a").append(text).append('z');

    String expected = "a" + new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8) + "z";
    assertThat(buffer.toString()).isEqualTo(expected);
  }

  @Property(tries = 500)
  void lineAppendsWriteUtf8LikeGetBytes(@ForAll("texts") String name, @ForAll("texts") String value) {
    SigningBuffer buffer = SigningBuffer.current();

    buffer.appendLine(value).appendHeaderLine(name, value).appendLine(null);

    String utf8Value = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    String utf8Name = new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(buffer.toString()).isEqualTo(utf8Value + "\n" + utf8Name + ":" + utf8Value + "\n\n");
  }

  @Property(tries = 200)
  void isoTimesSharingCacheSlotsStayDistinct(@ForAll("instants") Instant start) {
    Instant[] times = {start, start.plusSeconds(4), start.plusSeconds(8), start.plusSeconds(12), start.plusSeconds(16)};
    SigningBuffer buffer = SigningBuffer.current();
    StringBuilder expected = new StringBuilder();

    for (int round = 0; round < 2; round++) {
      for (Instant time : times) {
        buffer.appendIsoTime(time, round == 1).append(' ');
        String text = DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
        expected.append(round == 1 ? PercentCoding.encodeQueryComponent(text) : text).append(' ');
      }
    }

    assertThat(buffer.toString()).isEqualTo(expected.toString());
  }

  @Property(tries = 500)
  void queryComponentMatchesPercentCoding(@ForAll("texts") String text) {
    SigningBuffer buffer = SigningBuffer.current();

    buffer.append("p=").appendQueryComponent(text);

    assertThat(buffer.toString()).isEqualTo("p=" + PercentCoding.encodeQueryComponent(text));
  }

  @Property(tries = 1000)
  void isoTimeMatchesIsoInstant(@ForAll("instants") Instant time) {
    String expected = DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));

    assertThat(SigningBuffer.current().appendIsoTime(time, false).toString()).isEqualTo(expected);
    assertThat(SigningBuffer.current().appendIsoTime(time, true).toString())
        .isEqualTo(PercentCoding.encodeQueryComponent(expected));
    assertThat(SasTimes.format(time)).isEqualTo(expected);
  }

  @Property(tries = 300)
  void sasTimesMatchIsoInstant(@ForAll @Size(min = 1, max = 12) List<@IntRange(max = 5) Integer> starts,
      @ForAll @Size(min = 12, max = 12) List<@IntRange(max = 5) Integer> expiries,
      @ForAll @Size(min = 6, max = 6) List<@From("instants") Instant> times) {
    // Few distinct times, so that the per-thread memos both hit and miss.
    for (int i = 0; i < starts.size(); i++) {
      Instant start = times.get(starts.get(i));
      Instant expiry = times.get(expiries.get(i));
      String startText = DateTimeFormatter.ISO_INSTANT.format(start.truncatedTo(ChronoUnit.SECONDS));
      String expiryText = DateTimeFormatter.ISO_INSTANT.format(expiry.truncatedTo(ChronoUnit.SECONDS));

      String fields = SigningBuffer.current().appendSasTimes(start, expiry, false).toString();
      String query = SigningBuffer.current().appendSasTimes(start, expiry, true).toString();

      assertThat(fields).as("fields %d", i).isEqualTo(startText + "\n" + expiryText);
      assertThat(query).as("query %d", i).isEqualTo("&st=" + PercentCoding.encodeQueryComponent(startText)
          + "&se=" + PercentCoding.encodeQueryComponent(expiryText));
    }
  }

  @Property(tries = 1000)
  void httpDateMatchesFormatter(@ForAll("instants") Instant time) {
    assertThat(HttpDates.format(time)).isEqualTo(IMF_FIXDATE.format(time.truncatedTo(ChronoUnit.SECONDS)));
  }

  @Property(tries = 1000)
  void containerCheckMatchesPattern(@ForAll("containerNames") String name) {
    boolean expected = CONTAINER_NAME.matcher(name).matches();

    boolean accepted;
    try {
      ContainerNames.check(name);
      accepted = true;
    } catch (IllegalArgumentException e) {
      accepted = false;
    }

    assertThat(accepted).as("accepted '%s'", name).isEqualTo(expected);
  }

  @Property(tries = 50)
  void wipeReturnsTextAndEmptiesBuffer(@ForAll("texts") String text) {
    SigningBuffer buffer = SigningBuffer.current();
    buffer.append("sig=").appendQueryComponent(text);
    String expected = buffer.toString();

    String taken = buffer.toStringAndWipe();

    assertThat(taken).isEqualTo(expected);
    assertThat(buffer.length()).isZero();
    assertThat(buffer.toString()).isEmpty();
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(40);
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> surrogates = Arbitraries.strings().withCharRange('\uD7F0', '\uE010').ofMaxLength(8);
    return Arbitraries.oneOf(ascii, any, surrogates);
  }

  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Instant> common = Arbitraries.longs().between(0, 4_102_444_800L).map(Instant::ofEpochSecond);
    Arbitrary<Instant> wide = Arbitraries.longs().between(-62_000_000_000L, 260_000_000_000L)
        .map(second -> Instant.ofEpochSecond(second, 750_000_000));
    Arbitrary<Instant> edges = Arbitraries.of(
        Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("0999-12-31T23:59:59Z"),
        Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("2000-02-29T12:00:00Z"), Instant.parse("2100-03-01T00:00:00Z"),
        Instant.parse("1969-12-31T23:59:59Z"));
    return Arbitraries.oneOf(common, wide, edges);
  }

  @Provide
  Arbitrary<String> containerNames() {
    Arbitrary<String> alphabet = Arbitraries.strings().withChars("abz09-A$_").ofMinLength(0).ofMaxLength(66);
    Arbitrary<String> specials = Arbitraries.of("$root", "$web", "$logs", "$Root", "$webs", "a-b", "ab-", "-ab", "a--b");
    return Arbitraries.oneOf(alphabet, specials);
  }
}
