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
    return fromBits(parseBits(letters));
  }

  /**
   * Parses {@code sp} letters like {@link #parse} into a bit set: bit {@code ordinal()} is set for
   * each permission named. SAS builders keep permissions in this form, which needs no allocation.
   */
  static int parseBits(String letters) {
    Objects.requireNonNull(letters, "letters");
    int bits = 0;
    for (int i = 0; i < letters.length(); i++) {
      bits |= of(letters.charAt(i), letters).bit();
    }
    if (bits == 0) {
      throw new IllegalArgumentException("Invalid SAS permissions '': name at least one, such as r");
    }
    return bits;
  }

  /** Returns the bit set of {@code permissions}, as {@link #parseBits} builds it. */
  static int toBits(Set<BlobSasPermission> permissions) {
    int bits = 0;
    for (BlobSasPermission permission : permissions) {
      bits |= permission.bit();
    }
    return bits;
  }

  /** Returns the permissions of a bit set built by {@link #parseBits}. */
  static Set<BlobSasPermission> fromBits(int bits) {
    EnumSet<BlobSasPermission> permissions = EnumSet.noneOf(BlobSasPermission.class);
    for (BlobSasPermission permission : CANONICAL_ORDER) {
      if ((bits & permission.bit()) != 0) {
        permissions.add(permission);
      }
    }
    return permissions;
  }

  /** Returns the {@code sp} value of a bit set built by {@link #parseBits}, in canonical order. */
  static String toLetters(int bits) {
    char[] letters = new char[CANONICAL_ORDER.length];
    int count = 0;
    for (BlobSasPermission permission : CANONICAL_ORDER) {
      if ((bits & permission.bit()) != 0) {
        letters[count++] = permission.letter;
      }
    }
    return new String(letters, 0, count);
  }

  /** Returns the bit of this permission in the bit sets of {@link #parseBits}. */
  int bit() {
    return 1 << ordinal();
  }

  /** Returns the {@code sp} value of {@code permissions}, in canonical order. */
  public static String toLetters(Set<BlobSasPermission> permissions) {
    return toLetters(toBits(permissions));
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
