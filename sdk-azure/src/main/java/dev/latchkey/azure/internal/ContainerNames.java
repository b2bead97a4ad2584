package dev.latchkey.azure.internal;

import java.util.regex.Pattern;

/** Checks Blob Storage container names. */
public final class ContainerNames {

  /** 3 to 63 lower-case letters, digits and single hyphens starting with a letter or digit, or a system container. */
  private static final Pattern VALID = Pattern.compile("\\$root|\\$web|\\$logs|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");

  private ContainerNames() {}

  /**
   * Returns {@code container} if it is a valid container name.
   *
   * @throws IllegalArgumentException if it is not; the message names the rule
   */
  public static String check(String container) {
    if (container == null || !VALID.matcher(container).matches()) {
      throw new IllegalArgumentException("Invalid container name '" + container
          + "': use 3 to 63 lower-case letters, digits and single hyphens, starting with a letter or digit");
    }
    return container;
  }
}
