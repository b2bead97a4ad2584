package dev.latchkey.policy;

import java.util.Objects;

/** Checks the names of roles, rules and bindings. */
final class Names {

  private static final int MAX_LENGTH = 128;

  private Names() {}

  /**
   * Returns the name if it is 1 to 128 characters of letters, digits, {@code .}, {@code _}, {@code
   * -} and {@code :}.
   */
  static String check(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.length() > MAX_LENGTH || !name.chars().allMatch(Names::isAllowed)) {
      throw new IllegalArgumentException("Invalid " + what + " '" + name + "': use 1 to "
          + MAX_LENGTH + " ASCII letters, digits, '.', '_', '-' or ':'");
    }
    return name;
  }

  private static boolean isAllowed(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-' || c == ':';
  }
}
