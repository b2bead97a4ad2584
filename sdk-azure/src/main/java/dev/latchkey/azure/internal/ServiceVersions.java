package dev.latchkey.azure.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks Azure Storage service versions ({@code x-ms-version}, SAS {@code sv}), which are dates. */
public final class ServiceVersions {

  private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private ServiceVersions() {}

  /** Returns {@code version} if it is a date such as {@code 2025-11-05}, else throws naming {@code option}. */
  public static String check(String option, String version) {
    Objects.requireNonNull(version, option);
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + version + "': use a service version date such as 2025-11-05");
    }
    return version;
  }
}
