package dev.latchkey.azure.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Formats SAS start and expiry times ({@code st}, {@code se}, {@code skt}, {@code ske}). */
public final class SasTimes {

  private SasTimes() {}

  /**
   * Returns {@code time} truncated to the second in ISO 8601 UTC form, such as {@code
   * 2026-03-05T07:08:09Z}. Years 1000 to 9999 are written by hand, because SAS generation formats two
   * times per token; others go through {@link DateTimeFormatter#ISO_INSTANT}.
   */
  public static String format(Instant time) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
    if (utc.getYear() < 1000 || utc.getYear() > 9999) {
      return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }
    StringBuilder text = new StringBuilder(20).append(utc.getYear());
    appendField(text, '-', utc.getMonthValue());
    appendField(text, '-', utc.getDayOfMonth());
    appendField(text, 'T', utc.getHour());
    appendField(text, ':', utc.getMinute());
    appendField(text, ':', utc.getSecond());
    return text.append('Z').toString();
  }

  private static void appendField(StringBuilder text, char separator, int twoDigitValue) {
    text.append(separator).append((char) ('0' + twoDigitValue / 10)).append((char) ('0' + twoDigitValue % 10));
  }
}
