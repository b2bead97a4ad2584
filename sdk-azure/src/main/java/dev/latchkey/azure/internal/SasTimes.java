package dev.latchkey.azure.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    if (!SigningBuffer.isFormattedByHand(time.getEpochSecond())) {
      return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }
    byte[] text = new byte[SigningBuffer.ISO_TIME_BYTES];
    SigningBuffer.formatIsoTime(time.getEpochSecond(), text);
    return new String(text, StandardCharsets.US_ASCII);
  }
}
