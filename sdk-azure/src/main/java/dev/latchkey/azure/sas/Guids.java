package dev.latchkey.azure.sas;

import java.util.Objects;

/** Checks GUIDs, the form of Microsoft Entra tenant and object ids. */
final class Guids {

  private static final int LENGTH = 36;

  private Guids() {}

  /**
   * Returns {@code value} if it is a GUID in its usual text form, 32 hex digits in groups of 8, 4, 4,
   * 4 and 12 separated by hyphens, such as {@code 72f988bf-86f1-41af-91ab-2d7cd011db47}.
   *
   * @throws IllegalArgumentException naming {@code option} if it is not
   */
  static String check(String option, String value) {
    Objects.requireNonNull(value, option);
    if (!isGuid(value)) {
      throw new IllegalArgumentException("Invalid " + option + " '" + value
          + "': use a Microsoft Entra tenant id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47");
    }
    return value;
  }

  private static boolean isGuid(String value) {
    if (value.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = value.charAt(i);
      boolean hyphenPosition = i == 8 || i == 13 || i == 18 || i == 23;
      boolean valid = hyphenPosition ? c == '-' : Character.digit(c, 16) >= 0 && c < 0x80;
      if (!valid) {
        return false;
      }
    }
    return true;
  }
}
