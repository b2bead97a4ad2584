package dev.latchkey.azure.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Formats instants as HTTP dates ({@code Thu, 03 Oct 2024 17:31:22 GMT}, RFC 9110 IMF-fixdate) for
 * {@code x-ms-date}.
 *
 * <p>Requests signed within the same second share one formatted value, because formatting costs about
 * as much as the rest of building a Shared Key string to sign. Thread-safe.
 */
public final class HttpDates {

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  private HttpDates() {}

  /** Returns the IMF-fixdate form of {@code time}, truncated to the second. */
  public static String format(Instant time) {
    long second = time.getEpochSecond();
    Formatted cached = last;
    if (cached.epochSecond == second) {
      return cached.text;
    }
    String text = IMF_FIXDATE.format(time.truncatedTo(ChronoUnit.SECONDS));
    last = new Formatted(second, text);
    return text;
  }

  /** Parses an IMF-fixdate, such as the {@code Date} or {@code Last-Modified} header of a response. */
  public static Instant parse(String text) {
    return Instant.from(IMF_FIXDATE.parse(text));
  }

  private record Formatted(long epochSecond, String text) {}
}
