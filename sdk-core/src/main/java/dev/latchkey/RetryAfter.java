package dev.latchkey;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses the HTTP {@code Retry-After} header (RFC 9110 section 10.2.3) and combines it with a
 * client's own backoff. Latchkey's storage client, token endpoint client and AWS metadata providers
 * share it.
 */
public final class RetryAfter {

  /** Delay-seconds: a non-negative decimal integer. Nine digits keep the value within a long. */
  private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]{1,9}");

  /** The obsolete asctime form, such as {@code Sun Nov  6 08:49:37 1994}, always in GMT. */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  private RetryAfter() {}

  /**
   * Returns the delay the header requests: its delay-seconds, or its HTTP date minus {@code now}.
   * Returns empty when the header is absent, blank or invalid (a negative number is invalid), and
   * zero for a date at or before {@code now}.
   *
   * @param header the header value, or {@code null}
   * @param now the time the date form is measured from: the server's time where it is known
   */
  public static Optional<Duration> parse(String header, Instant now) {
    Objects.requireNonNull(now, "now");
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (DELAY_SECONDS.matcher(value).matches()) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    for (DateTimeFormatter format : dateFormats(now)) {
      try {
        Duration delay = Duration.between(now, ZonedDateTime.parse(value, format).toInstant());
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      } catch (DateTimeException e) {
        // Try the next of the three forms a recipient must accept.
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the HTTP-date forms of RFC 9110 section 5.6.7: IMF-fixdate, then the obsolete RFC 850 and
   * asctime forms. RFC 850 has a two-digit year, read as the one year from 49 years before the year of
   * {@code now} to 50 years after it that ends in those digits.
   */
  private static List<DateTimeFormatter> dateFormats(Instant now) {
    int thisYear = now.atZone(ZoneOffset.UTC).getYear();
    DateTimeFormatter rfc850 = new DateTimeFormatterBuilder()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.of(thisYear - 49, 1, 1))
        .appendPattern(" HH:mm:ss 'GMT'")
        .toFormatter(Locale.US)
        .withZone(ZoneOffset.UTC);
    return List.of(DateTimeFormatter.RFC_1123_DATE_TIME, rfc850, ASCTIME);
  }

  /**
   * Returns the wait before a retry: the server's delay capped at {@code maxDelay}, but never less
   * than the client's own {@code backoff}. Without a server delay the result is {@code backoff}.
   *
   * @param backoff the client's own wait for this retry
   * @param retryAfter the delay the server requested, if any
   * @param maxDelay the longest wait the client accepts from a server
   */
  public static Duration delay(Duration backoff, Optional<Duration> retryAfter, Duration maxDelay) {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (retryAfter.isEmpty()) {
      return backoff;
    }
    Duration requested = retryAfter.get().compareTo(maxDelay) > 0 ? maxDelay : retryAfter.get();
    return requested.compareTo(backoff) > 0 ? requested : backoff;
  }
}
