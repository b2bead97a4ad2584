package dev.latchkey.azure.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Formats SAS start and expiry times ({@code st}, {@code se}, {@code skt}, {@code ske}). */
public final class SasTimes {

  private SasTimes() {}

  /** Returns {@code time} truncated to the second in ISO 8601 UTC form, such as {@code 2026-03-05T07:08:09Z}. */
  public static String format(Instant time) {
    return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
  }
}
