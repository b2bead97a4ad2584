package dev.latchkey.policy;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Days of the week, in a time zone, that the request time must fall on. See {@link
 * Condition#weekdays}.
 *
 * @param days the allowed days; not empty; unmodifiable
 * @param zone the time zone the day is read in, such as {@code America/New_York}
 */
public record WeekdayCondition(Set<DayOfWeek> days, ZoneId zone) implements Condition {

  private static final long SECONDS_PER_DAY = 86_400L;

  /** Days since 1970-01-01, a Thursday, are shifted by this much so that Monday is 0. */
  private static final int EPOCH_DAY_TO_MONDAY_BASED = 3;

  /**
   * Checks the days.
   *
   * @throws IllegalArgumentException if {@code days} is empty
   */
  public WeekdayCondition {
    Objects.requireNonNull(days, "days");
    Objects.requireNonNull(zone, "zone");
    if (days.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid weekday condition: the list of days is empty; name at least one day, such as MONDAY");
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
  }

  @Override
  public boolean test(AccessRequest request) {
    long localSeconds = TimeOfDayCondition.localEpochSecond(request.time(), zone);
    long epochDay = Math.floorDiv(localSeconds, SECONDS_PER_DAY);
    int mondayBased = (int) Math.floorMod(epochDay + EPOCH_DAY_TO_MONDAY_BASED, 7L);
    return days.contains(DayOfWeek.of(mondayBased + 1));
  }

  @Override
  public String describe() {
    return "weekday in " + zone + " is one of " + days;
  }
}
