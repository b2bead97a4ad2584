package dev.latchkey.azure.sas;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The permissions of a service or user delegation SAS for Blob Storage ({@code sp}), declared in the
 * canonical order in which a SAS lists them: {@code racwdxyltfmeopi}.
 */
public enum BlobSasPermission {
  READ('r'),
  ADD('a'),
  CREATE('c'),
  WRITE('w'),
  DELETE('d'),
  DELETE_VERSION('x'),
  PERMANENT_DELETE('y'),
  LIST('l'),
  TAGS('t'),
  FIND('f'),
  MOVE('m'),
  EXECUTE('e'),
  OWNERSHIP('o'),
  PERMISSIONS('p'),
  SET_IMMUTABILITY_POLICY('i');

  /** Every permission in canonical order, kept because {@link #values()} copies its array on every call. */
  private static final BlobSasPermission[] CANONICAL_ORDER = values();

  private final char letter;

  BlobSasPermission(char letter) {
    this.letter = letter;
  }

  /** Returns the letter of this permission in {@code sp}. */
  public char letter() {
    return letter;
  }

  /**
   * Parses {@code sp} letters in any order, such as {@code "wr"}.
   *
   * @throws IllegalArgumentException if a letter is not a Blob SAS permission or the text is empty
   */
  public static Set<BlobSasPermission> parse(String letters) {
    Objects.requireNonNull(letters, "letters");
    EnumSet<BlobSasPermission> permissions = EnumSet.noneOf(BlobSasPermission.class);
    for (int i = 0; i < letters.length(); i++) {
      permissions.add(of(letters.charAt(i), letters));
    }
    if (permissions.isEmpty()) {
      throw new IllegalArgumentException("Invalid SAS permissions '': name at least one, such as r");
    }
    return permissions;
  }

  /** Returns the {@code sp} value of {@code permissions}, in canonical order. */
  public static String toLetters(Set<BlobSasPermission> permissions) {
    char[] letters = new char[CANONICAL_ORDER.length];
    int count = 0;
    for (BlobSasPermission permission : CANONICAL_ORDER) {
      if (permissions.contains(permission)) {
        letters[count++] = permission.letter;
      }
    }
    return new String(letters, 0, count);
  }

  private static BlobSasPermission of(char c, String letters) {
    for (BlobSasPermission permission : CANONICAL_ORDER) {
      if (permission.letter == c) {
        return permission;
      }
    }
    throw new IllegalArgumentException(
        "Invalid SAS permission '" + c + "' in '" + letters + "': use letters of racwdxyltfmeopi");
  }
}
