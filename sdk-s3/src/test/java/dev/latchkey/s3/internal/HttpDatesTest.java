package dev.latchkey.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpDates} must accept and reject exactly what {@link DateTimeFormatter#RFC_1123_DATE_TIME}
 * does, with the same instants, because it replaced that formatter for S3 response dates.
 */
class HttpDatesTest {

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  @Test
  void parsesS3LastModified() {
    assertThat(HttpDates.parse("Fri, 04 Dec 2026 22:54:46 GMT")).isEqualTo(Instant.parse("2026-12-04T22:54:46Z"));
  }

  @Property(tries = 500)
  void fixdateRoundTrips(@ForAll @LongRange(min = -2_208_988_800L, max = 253_402_300_799L) long epochSecond) {
    Instant time = Instant.ofEpochSecond(epochSecond);

    assertThat(HttpDates.parseImfFixdate(IMF_FIXDATE.format(time))).isEqualTo(time);
  }

  @Property(tries = 2000)
  void matchesRfc1123Formatter(@ForAll("nearFixdates") String text) {
    Instant expected;
    try {
      expected = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      assertThatThrownBy(() -> HttpDates.parse(text)).isInstanceOf(DateTimeParseException.class);
      return;
    }

    assertThat(HttpDates.parse(text)).isEqualTo(expected);
  }

  @Test
  void otherRfc1123FormsGoToFormatter() {
    assertThat(HttpDates.parse("Fri, 4 Dec 2026 22:54:46 GMT")).isEqualTo(Instant.parse("2026-12-04T22:54:46Z"));
    assertThat(HttpDates.parse("Fri, 04 Dec 2026 23:54:46 +0100")).isEqualTo(Instant.parse("2026-12-04T22:54:46Z"));
    assertThat(HttpDates.parse("04 Dec 2026 22:54:46 GMT")).isEqualTo(Instant.parse("2026-12-04T22:54:46Z"));
    assertThat(HttpDates.parse("fri, 04 dec 2026 22:54:46 GMT")).isEqualTo(Instant.parse("2026-12-04T22:54:46Z"));
  }

  @Test
  void wrongDayNameIsRejected() {
    assertThat(HttpDates.parseImfFixdate("Thu, 04 Dec 2026 22:54:46 GMT")).isNull();
    assertThatThrownBy(() -> HttpDates.parse("Thu, 04 Dec 2026 22:54:46 GMT"))
        .isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void impossibleDateIsRejected() {
    assertThatThrownBy(() -> HttpDates.parse("Tue, 30 Feb 2027 10:00:00 GMT"))
        .isInstanceOf(DateTimeParseException.class);
  }

  /** Texts of IMF-fixdate shape whose fields are often out of range or in the wrong case. */
  @Provide
  Arbitrary<String> nearFixdates() {
    Arbitrary<String> days = Arbitraries.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "mon", "Xyz");
    Arbitrary<String> months = Arbitraries.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec", "dec", "Foo");
    Arbitrary<Integer> dayOfMonth = Arbitraries.integers().between(0, 32);
    Arbitrary<Integer> year = Arbitraries.integers().between(1999, 2001);
    Arbitrary<Integer> hour = Arbitraries.integers().between(0, 25);
    Arbitrary<Integer> minuteOrSecond = Arbitraries.integers().between(0, 61);
    Arbitrary<String> zone = Arbitraries.of("GMT", "GMT", "GMT", "UTC", "+0000");
    return Combinators.combine(days, dayOfMonth, months, year, hour, minuteOrSecond, zone)
        .as((day, date, month, y, h, m, z) -> String.format(Locale.ROOT, "%s, %02d %s %04d %02d:%02d:%02d %s",
            day, date, month, y, h, m, m, z));
  }
}
