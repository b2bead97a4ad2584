package dev.latchkey.audit.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats instants exactly as {@link Instant#toString()} does, caching the text of the last whole
 * second, because consecutive audit events nearly always fall in the same second and formatting the
 * date and time is most of the cost of writing an event. Thread-safe.
 */
public final class TimestampFormat {

  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  /** The formatted text of one whole second; immutable, so it can be swapped atomically. */
  private record CachedSecond(long epochSecond, String text) {}

  private static volatile CachedSecond cached = new CachedSecond(Long.MIN_VALUE, "");

  private TimestampFormat() {}

  /** Returns the same text as {@code instant.toString()}. */
  public static String format(Instant instant) {
    if (!isCacheable(instant)) {
      return instant.toString();
    }
    String seconds = secondsText(instant.getEpochSecond());
    int nanos = instant.getNano();
    if (nanos == 0) {
      return seconds + 'Z';
    }
    StringBuilder out = new StringBuilder(seconds.length() + 11).append(seconds).append('.');
    appendFraction(out, nanos);
    return out.append('Z').toString();
  }

  /** Returns whether {@link Instant#toString()} prints the instant as a four-digit year. */
  private static boolean isCacheable(Instant instant) {
    long second = instant.getEpochSecond();
    return second >= -62_135_596_800L && second < 253_402_300_800L;
  }

  private static String secondsText(long epochSecond) {
    CachedSecond current = cached;
    if (current.epochSecond() == epochSecond) {
      return current.text();
    }
    String text = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).format(SECONDS);
    cached = new CachedSecond(epochSecond, text);
    return text;
  }

  /** Appends milliseconds, microseconds or nanoseconds, whichever shows every non-zero digit. */
  private static void appendFraction(StringBuilder out, int nanos) {
    if (nanos % 1_000_000 == 0) {
      appendPadded(out, nanos / 1_000_000, 3);
    } else if (nanos % 1000 == 0) {
      appendPadded(out, nanos / 1000, 6);
    } else {
      appendPadded(out, nanos, 9);
    }
  }

  private static void appendPadded(StringBuilder out, int value, int digits) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < digits; i++) {
      out.append('0');
    }
    out.append(text);
  }
}
