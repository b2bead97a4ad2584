package dev.latchkey.azure.internal;

import dev.latchkey.internal.backend.UserMetadataRules;
import dev.latchkey.storage.ObjectRef;
import java.util.Map;

/** The Blob Storage rules for user-defined metadata, checked before a request is built. */
public final class BlobMetadata {

  /**
   * The maximum size of a blob's metadata that Blob Storage accepts: 8 KB, counted as the sum of
   * the byte lengths of every name (without {@code x-ms-meta-}) and value.
   */
  public static final int MAX_BYTES = 8192;

  /**
   * Blob Storage requires names to be C# identifiers, and HTTP header names are ASCII, so a name is
   * a letter or {@code _} followed by letters, digits and {@code _}.
   */
  private static final UserMetadataRules RULES = new UserMetadataRules("Blob Storage", "blob", MAX_BYTES,
      BlobMetadata::isIdentifierCharacter,
      ". Blob Storage requires a C# identifier, so start with an ASCII letter or '_' and continue with ASCII"
          + " letters, digits and '_'",
      ref -> "blob '" + ref.key() + "' in container '" + ref.container() + "'");

  private BlobMetadata() {}

  /**
   * Checks the names and the total size. {@code PutRequest} has already checked the values and
   * repeated names.
   *
   * @throws IllegalArgumentException if a name is not an ASCII C# identifier or the metadata is
   *     over 8 KB
   */
  public static void check(ObjectRef ref, Map<String, String> metadata) {
    RULES.check(ref, metadata);
  }

  private static boolean isIdentifierCharacter(char c, int index) {
    boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    boolean digit = c >= '0' && c <= '9';
    return letter || (digit && index > 0);
  }
}
