package dev.latchkey.azure.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Formats instants as HTTP dates ({@code Thu, 03 Oct 2024 17:31:22 GMT}, RFC 9110 IMF-fixdate) for
 * {@code x-ms-date}, and parses them.
 *
 * <p>Years 1000 to 9999 are formatted by hand, and requests signed within the same second share one
 * formatted value, because a {@link DateTimeFormatter} costs about as much as the rest of building a
 * Shared Key string to sign. Thread-safe.
 */
public final class HttpDates {

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /** Day names from Monday, as {@link java.time.DayOfWeek} numbers them. */
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  private HttpDates() {}

  /** Returns the IMF-fixdate form of {@code time}, truncated to the second. */
  public static String format(Instant time) {
    long second = time.getEpochSecond();
    Formatted cached = last;
    if (cached.epochSecond == second) {
      return cached.text;
    }
    String text = formatSecond(time);
    last = new Formatted(second, text);
    return text;
  }

  private static String formatSecond(Instant time) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = utc.getYear();
    if (year < 1000 || year > 9999) {
      return IMF_FIXDATE.format(time.truncatedTo(ChronoUnit.SECONDS));
    }
    char[] text = new char[29];
    DAYS[utc.getDayOfWeek().getValue() - 1].getChars(0, 3, text, 0);
    text[3] = ',';
    text[4] = ' ';
    writeDigits(text, 5, utc.getDayOfMonth());
    text[7] = ' ';
    MONTHS[utc.getMonthValue() - 1].getChars(0, 3, text, 8);
    text[11] = ' ';
    writeDigits(text, 12, year / 100);
    writeDigits(text, 14, year % 100);
    text[16] = ' ';
    writeDigits(text, 17, utc.getHour());
    text[19] = ':';
    writeDigits(text, 20, utc.getMinute());
    text[22] = ':';
    writeDigits(text, 23, utc.getSecond());
    " GMT".getChars(0, 4, text, 25);
    return new String(text);
  }

  private static void writeDigits(char[] text, int offset, int twoDigitValue) {
    text[offset] = (char) ('0' + twoDigitValue / 10);
    text[offset + 1] = (char) ('0' + twoDigitValue % 10);
  }

  /** Parses an IMF-fixdate, such as the {@code Date} or {@code Last-Modified} header of a response. */
  public static Instant parse(String text) {
    return Instant.from(IMF_FIXDATE.parse(text));
  }

  private record Formatted(long epochSecond, String text) {}
}
