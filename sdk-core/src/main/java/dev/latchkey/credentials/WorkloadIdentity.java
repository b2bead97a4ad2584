package dev.latchkey.credentials;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The non-human identity that acts: a service, a batch job, a bot or a CI runner.
 *
 * <p>An identity is a name, such as {@code billing-exporter}, and attributes, such as {@code
 * env=prod} and {@code team=finance}. Access policies grant to identities and their attributes,
 * and audit events name them. Neither the name nor the attributes may hold a secret: both are
 * written to audit events as they are.
 *
 * @param name the identity's name, 1 to 256 characters, not only whitespace, without control
 *     characters
 * @param attributes attribute names and values, sorted by name; unmodifiable
 */
public record WorkloadIdentity(String name, Map<String, String> attributes) {

  private static final int MAX_NAME_LENGTH = 256;

  /**
   * Creates an identity and checks its name and attributes.
   *
   * @throws IllegalArgumentException if the name or an attribute name is empty, longer than 256
   *     characters, only whitespace, or contains a control character
   */
  public WorkloadIdentity {
    checkText("identity name", name);
    Objects.requireNonNull(attributes, "attributes");
    TreeMap<String, String> copy = new TreeMap<>();
    attributes.forEach((key, value) -> {
      checkText("attribute name", key);
      copy.put(key, Objects.requireNonNull(value, () -> "value of attribute '" + key + "'"));
    });
    attributes = java.util.Collections.unmodifiableMap(copy);
  }

  /** Creates an identity with no attributes. */
  public static WorkloadIdentity of(String name) {
    return new WorkloadIdentity(name, Map.of());
  }

  /** Returns a copy of this identity with one attribute added or replaced. */
  public WorkloadIdentity withAttribute(String key, String value) {
    TreeMap<String, String> copy = new TreeMap<>(attributes);
    copy.put(key, value);
    return new WorkloadIdentity(name, copy);
  }

  /** Returns the value of an attribute, or {@code null} if the identity does not have it. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  private static void checkText(String what, String text) {
    Objects.requireNonNull(text, what);
    if (text.isEmpty() || text.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("Invalid " + what + " " + quote(text) + " (" + text.length()
          + " characters): use 1 to " + MAX_NAME_LENGTH + " characters");
    }
    if (isOnlyWhitespace(text)) {
      throw new IllegalArgumentException("Invalid " + what + " " + quote(text)
          + ": it contains only whitespace; use at least one visible character");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("Invalid " + what + " " + quote(text)
          + ": it contains a control character; use printable characters only");
    }
  }

  /** Returns whether every character is whitespace, counting no-break spaces, which isBlank does not. */
  private static boolean isOnlyWhitespace(String text) {
    return text.chars().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  /**
   * Quotes a rejected value for an error message. Control characters become Java-style Unicode
   * escapes, so a line break cannot forge a log line, and a long value is cut after 64 characters.
   */
  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("'");
    int quotedLength = Math.min(text.length(), 64);
    for (int i = 0; i < quotedLength; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        quoted.append(String.format("\\u%04X", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append(quotedLength < text.length() ? "'..." : "'");
    return quoted.toString();
  }
}
