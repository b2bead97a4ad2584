package dev.latchkey.storage.internal;

/**
 * Checks of caller values that a backend sends as HTTP header field values. They run before
 * anything is sent, so a bad value fails with a message that names the parameter, in place of
 * OkHttp's "Unexpected char" error.
 */
final class HeaderValues {

  private HeaderValues() {}

  /**
   * Checks that a header value contains only printable ASCII characters (U+0020 to U+007E) and tabs,
   * which is what OkHttp sends. Quotes the value in the message, so pass only values that are not
   * secret.
   *
   * @param parameter the name of the parameter the value came from, for the message
   * @param value the value, or {@code null} when the parameter was not set
   * @throws IllegalArgumentException if the value contains any other character, such as CR or LF
   */
  static void checkNotSecret(String parameter, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        throw new IllegalArgumentException(String.format(
            "Invalid %s '%s': character U+%04X at index %d is not allowed in an HTTP header; use printable"
                + " ASCII characters (U+0020 to U+007E) and tabs only",
            parameter, escape(value), (int) c, i));
      }
    }
  }

  /** Escapes control characters as Java-style Unicode escapes, so a line break cannot forge a log line. */
  private static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    value.chars().forEach(c -> {
      if (Character.isISOControl(c)) {
        escaped.append(String.format("\\u%04X", c));
      } else {
        escaped.append((char) c);
      }
    });
    return escaped.toString();
  }
}
