package dev.latchkey.azure.internal;

/** Checks Blob Storage container names. */
public final class ContainerNames {

  /**
   * The last name that passed {@link #check}. Strings are immutable, so the same object passes again
   * without a second pass over its characters, as when a SAS is built for each signature from one
   * container name. Threads that race here only repeat a check.
   */
  private static String lastValid = "$root";

  private ContainerNames() {}

  /**
   * Returns {@code container} if it is a valid container name: 3 to 63 lower-case letters, digits
   * and single hyphens, starting and ending with a letter or digit, or one of the system containers
   * {@code $root}, {@code $web} and {@code $logs}.
   *
   * @throws IllegalArgumentException if it is not; the message names the rule
   */
  public static String check(String container) {
    if (container == lastValid) {
      return container;
    }
    if (container == null || !isValid(container)) {
      throw new IllegalArgumentException("Invalid container name '" + container
          + "': use 3 to 63 lower-case letters, digits and single hyphens, starting with a letter or digit");
    }
    lastValid = container;
    return container;
  }

  private static boolean isValid(String container) {
    if (container.equals("$root") || container.equals("$web") || container.equals("$logs")) {
      return true;
    }
    int length = container.length();
    if (length < 3 || length > 63 || !isLetterOrDigit(container.charAt(0))) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = container.charAt(i);
      if (c == '-') {
        if (i + 1 == length || !isLetterOrDigit(container.charAt(i + 1))) {
          return false;
        }
      } else if (!isLetterOrDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
