package dev.latchkey.azure.internal;

import java.util.Objects;

/** Checks Azure Storage service versions ({@code x-ms-version}, SAS {@code sv}), which are dates. */
public final class ServiceVersions {

  private ServiceVersions() {}

  /**
   * Returns {@code version} if it has the form of a date such as {@code 2025-11-05} (four, two and
   * two ASCII digits), else throws naming {@code option}.
   */
  public static String check(String option, String version) {
    Objects.requireNonNull(version, option);
    if (!isDateForm(version)) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + version + "': use a service version date such as 2025-11-05");
    }
    return version;
  }

  private static boolean isDateForm(String version) {
    if (version.length() != 10) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      char c = version.charAt(i);
      boolean valid = i == 4 || i == 7 ? c == '-' : c >= '0' && c <= '9';
      if (!valid) {
        return false;
      }
    }
    return true;
  }
}
