package dev.latchkey.internal.backend;

import dev.latchkey.storage.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A storage service's rules for the user-defined metadata of an upload: which characters a name
 * may contain and the maximum size of all names and values together. The S3 and Blob Storage
 * backends check their metadata with it before they build a request. {@code module-info} exports
 * this package only to those modules, so it is not part of the public API. Immutable and
 * thread-safe.
 *
 * @param serviceName the service named in the size error, such as {@code S3}
 * @param objectNoun what the service stores, named in the size error, such as {@code object}
 * @param maxBytes the maximum sum of the UTF-8 byte lengths of every name and value
 * @param nameRule the rule each character of a name must meet
 * @param nameAdvice the text after "is not allowed" in the name error, which describes what a
 *     name may contain
 * @param describe the object the metadata is for, as the errors name it
 */
public record UserMetadataRules(
    String serviceName,
    String objectNoun,
    int maxBytes,
    NameRule nameRule,
    String nameAdvice,
    Function<ObjectRef, String> describe) {

  /** The test of whether a metadata name may contain a character at a given index. */
  @FunctionalInterface
  public interface NameRule {
    boolean allows(char c, int index);
  }

  public UserMetadataRules {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(objectNoun, "objectNoun");
    Objects.requireNonNull(nameRule, "nameRule");
    Objects.requireNonNull(nameAdvice, "nameAdvice");
    Objects.requireNonNull(describe, "describe");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("Invalid maxBytes " + maxBytes + ": use a positive number of bytes");
    }
  }

  /**
   * Checks every name against {@link #nameRule} and the total size against {@link #maxBytes}.
   * Values are not checked here, because {@code PutRequest} has already checked them and repeated
   * names.
   *
   * @throws IllegalArgumentException if a name contains a character the rule rejects, which the
   *     message names by code point and index, or if the metadata is larger than {@code maxBytes}
   */
  public void check(ObjectRef ref, Map<String, String> metadata) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String name = entry.getKey();
      int invalid = firstInvalidIndex(name);
      if (invalid >= 0) {
        throw new IllegalArgumentException(String.format("Invalid user metadata name '%s' for %s: character"
            + " U+%04X at index %d is not allowed%s", escapeControlCharacters(name), describe.apply(ref),
            (int) name.charAt(invalid), invalid, nameAdvice));
      }
      bytes += utf8Length(name) + utf8Length(entry.getValue());
    }
    if (bytes > maxBytes) {
      throw new IllegalArgumentException("Invalid user metadata for " + describe.apply(ref) + ": names and values"
          + " take " + bytes + " bytes, over the " + serviceName + " limit of " + maxBytes + " bytes. Store large"
          + " values in the " + objectNoun + " or a separate " + objectNoun);
    }
  }

  private int firstInvalidIndex(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!nameRule.allows(name.charAt(i), i)) {
        return i;
      }
    }
    return -1;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Escapes each control character as a backslash, {@code u} and four hex digits, so a line break in
   * a name cannot forge a log line.
   */
  static String escapeControlCharacters(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    text.chars().forEach(c -> escaped.append(Character.isISOControl(c) ? String.format("\\u%04X", c)
        : String.valueOf((char) c)));
    return escaped.toString();
  }
}
