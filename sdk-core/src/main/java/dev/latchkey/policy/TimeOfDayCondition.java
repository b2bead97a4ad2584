package dev.latchkey.policy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A window of the day, in a time zone, that the request time must fall in. See {@link
 * Condition#timeOfDay}.
 *
 * @param from the start of the window, inclusive
 * @param to the end of the window, exclusive; before {@code from} when the window wraps midnight
 * @param zone the time zone the window is read in, such as {@code Europe/Berlin}
 */
public record TimeOfDayCondition(LocalTime from, LocalTime to, ZoneId zone) implements Condition {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long SECONDS_PER_DAY = 86_400L;

  /**
   * Checks the window.
   *
   * @throws IllegalArgumentException if {@code from} equals {@code to}
   */
  public TimeOfDayCondition {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(zone, "zone");
    if (from.equals(to)) {
      throw new IllegalArgumentException("Invalid time of day window " + from + " to " + to
          + ": the start equals the end; drop the condition to allow every time of day");
    }
  }

  @Override
  public boolean test(AccessRequest request) {
    long nanoOfDay = nanoOfDay(request.time(), zone);
    long start = from.toNanoOfDay();
    long end = to.toNanoOfDay();
    if (start < end) {
      return nanoOfDay >= start && nanoOfDay < end;
    }
    return nanoOfDay >= start || nanoOfDay < end;
  }

  @Override
  public String describe() {
    return "time of day in " + zone + " from " + from + " to " + to;
  }

  /** Returns the local time of day, in nanoseconds, of an instant in a zone; allocates nothing. */
  static long nanoOfDay(Instant time, ZoneId zone) {
    long localSeconds = localEpochSecond(time, zone);
    return Math.floorMod(localSeconds, SECONDS_PER_DAY) * NANOS_PER_SECOND + time.getNano();
  }

  /** Returns the local date-time of an instant in a zone, as seconds since the local epoch. */
  static long localEpochSecond(Instant time, ZoneId zone) {
    return time.getEpochSecond() + zone.getRules().getOffset(time).getTotalSeconds();
  }
}
