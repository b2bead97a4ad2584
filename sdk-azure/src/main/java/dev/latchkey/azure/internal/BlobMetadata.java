package dev.latchkey.azure.internal;

import dev.latchkey.storage.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The Blob Storage rules for user-defined metadata, checked before a request is built. */
public final class BlobMetadata {

  /**
   * The maximum size of a blob's metadata that Blob Storage accepts: 8 KB, counted as the sum of
   * the byte lengths of every name (without {@code x-ms-meta-}) and value.
   */
  public static final int MAX_BYTES = 8192;

  private BlobMetadata() {}

  /**
   * Checks the names and the total size. {@code PutRequest} has already checked the values and
   * repeated names. Blob Storage requires names to be C# identifiers, and HTTP header names are
   * ASCII, so a name is a letter or {@code _} followed by letters, digits and {@code _}.
   *
   * @throws IllegalArgumentException if a name breaks that rule or the metadata is over 8 KB
   */
  public static void check(ObjectRef ref, Map<String, String> metadata) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String name = entry.getKey();
      int bad = firstInvalidIndex(name);
      if (bad >= 0) {
        throw new IllegalArgumentException(String.format("Invalid user metadata name '%s' for blob '%s' in container"
            + " '%s': character U+%04X at index %d is not allowed. Blob Storage requires a C# identifier, so start"
            + " with an ASCII letter or '_' and continue with ASCII letters, digits and '_'",
            escape(name), ref.key(), ref.container(), (int) name.charAt(bad), bad));
      }
      bytes += name.length() + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException("Invalid user metadata for blob '" + ref.key() + "' in container '"
          + ref.container() + "': names and values take " + bytes + " bytes, over the Blob Storage limit of "
          + MAX_BYTES + " bytes. Store large values in the blob or a separate blob");
    }
  }

  private static int firstInvalidIndex(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      if (!letter && !(digit && i > 0)) {
        return i;
      }
    }
    return -1;
  }

  /** Escapes control characters, so a line break in a name cannot forge a log line. */
  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    text.chars().forEach(c -> escaped.append(Character.isISOControl(c) ? String.format("\\u%04X", c)
        : String.valueOf((char) c)));
    return escaped.toString();
  }
}
