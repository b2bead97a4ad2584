package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  /** The time the examples of RFC 9110 section 5.6.7 name, minus 90 seconds. */
  private static final Instant NOW = Instant.parse("1994-11-06T08:48:07Z");

  @ParameterizedTest(name = "\"{0}\" is {1} s")
  @CsvSource(delimiter = '|', value = {
      "0|0",
      "7|7",
      " 120 |120",
      "999999999|999999999",
      "Sun, 06 Nov 1994 08:49:37 GMT|90",
      "Sunday, 06-Nov-94 08:49:37 GMT|90",
      "Sun Nov  6 08:49:37 1994|90",
      "Sun, 06 Nov 1994 08:00:00 GMT|0",
  })
  void parseReadsSecondsAndDates(String header, long seconds) {
    assertThat(RetryAfter.parse(header, NOW)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "\"{0}\" is invalid")
  @NullAndEmptySource
  @ValueSource(strings = {" ", "-5", "1.5", "+3", "1e3", "1234567890", "soon", "Sun, 32 Nov 1994 08:49:37 GMT",
      "2026-03-01T12:00:00Z"})
  void parseRejectsInvalidValues(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }

  @Test
  void parseReadsTwoDigitYearNearNow() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");

    assertThat(RetryAfter.parse("Sunday, 01-Mar-26 12:00:10 GMT", now)).contains(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Monday, 01-Mar-99 12:00:00 GMT", now)).contains(Duration.ZERO);
  }

  @Test
  void delayKeepsBackoffWithoutRetryAfter() {
    assertThat(RetryAfter.delay(Duration.ofMillis(80), Optional.empty(), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(80));
  }

  @Test
  void delayWaitsForLongerRetryAfter() {
    assertThat(RetryAfter.delay(Duration.ofMillis(80), Optional.of(Duration.ofMillis(500)), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void delayCapsRetryAfterAtMaxDelay() {
    assertThat(RetryAfter.delay(Duration.ofMillis(80), Optional.of(Duration.ofHours(1)), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void delayNeverShortensBackoff() {
    assertThat(RetryAfter.delay(Duration.ofMillis(80), Optional.of(Duration.ZERO), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(80));
  }
}
