package dev.latchkey.azure.internal.identity;

import java.time.Duration;
import java.util.Objects;

/** Checks of builder options shared by the identity sources; messages name the option and value. */
public final class Options {

  private Options() {}

  /**
   * Returns {@code value} if it is a usable id (a tenant, client or object id): not blank, with no
   * white space or control characters.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String requireId(String option, String value) {
    Objects.requireNonNull(value, option);
    boolean bad = value.isEmpty()
        || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    if (bad) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + value + "': use the id as the Azure portal shows it, without"
              + " spaces");
    }
    return value;
  }

  /**
   * Returns {@code value} if it is not blank.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String requireText(String option, String value) {
    Objects.requireNonNull(value, option);
    if (value.isBlank()) {
      throw new IllegalArgumentException("Invalid " + option + " '" + value + "': it must not be blank");
    }
    return value;
  }

  /**
   * Returns {@code value} if it is positive.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Duration requirePositive(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("Invalid " + option + " " + value + ": it must be positive");
    }
    return value;
  }

  /**
   * Returns {@code value} if it is zero or positive.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Duration requireNotNegative(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative()) {
      throw new IllegalArgumentException("Invalid " + option + " " + value + ": it must not be negative");
    }
    return value;
  }
}
