package dev.latchkey.azure.internal;

import java.util.Objects;

/** Checks Azure Storage service versions ({@code x-ms-version}, SAS {@code sv}), which are dates. */
public final class ServiceVersions {

  /**
   * The last version that passed {@link #checkedNumber}, with its number. Strings are immutable, so
   * the same object passes again without a second pass over its characters; SAS builders check the
   * same version constant for every SAS. Threads that race here only repeat a check, and the record
   * has final fields only, so no lock is needed.
   */
  private static CheckedVersion lastChecked = new CheckedVersion(null, -1);

  private ServiceVersions() {}

  /**
   * Returns {@code version} if it has the form of a date such as {@code 2025-11-05} (four, two and
   * two ASCII digits), else throws naming {@code option}.
   */
  public static String check(String option, String version) {
    checkedNumber(option, version);
    return version;
  }

  /**
   * Returns the version date as the number {@code yyyyMMdd}, such as 20251105 for {@code 2025-11-05},
   * after the checks of {@link #check} in the same pass. Two versions compare as their numbers do.
   */
  public static int checkedNumber(String option, String version) {
    CheckedVersion last = lastChecked;
    if (version != null && version == last.text()) {
      return last.number();
    }
    Objects.requireNonNull(version, option);
    int number = dateNumber(version);
    if (number < 0) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + version + "': use a service version date such as 2025-11-05");
    }
    lastChecked = new CheckedVersion(version, number);
    return number;
  }

  /** Returns {@code yyyyMMdd} for a version of the form {@code yyyy-MM-dd}, or -1 for any other text. */
  private static int dateNumber(String version) {
    if (version.length() != 10) {
      return -1;
    }
    int number = 0;
    for (int i = 0; i < 10; i++) {
      char c = version.charAt(i);
      if (i == 4 || i == 7) {
        if (c != '-') {
          return -1;
        }
      } else if (c >= '0' && c <= '9') {
        number = 10 * number + (c - '0');
      } else {
        return -1;
      }
    }
    return number;
  }

  private record CheckedVersion(String text, int number) {}
}
