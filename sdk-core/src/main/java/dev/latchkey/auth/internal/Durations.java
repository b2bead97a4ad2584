package dev.latchkey.auth.internal;

import java.time.Duration;
import java.util.Objects;

/** Range checks for durations set on builders. */
public final class Durations {

  private Durations() {}

  /**
   * Returns {@code value} if it lies in [{@code min}, {@code max}].
   *
   * @throws IllegalArgumentException naming the option, the value and the range
   */
  public static Duration checkRange(String option, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, option);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("Invalid " + option + " " + value + ": it must be from "
          + min + " to " + max);
    }
    return value;
  }
}
