package dev.latchkey.azure.sas;

import java.util.Set;

/**
 * The permissions of an account SAS ({@code sp}), declared in the canonical order in which a SAS
 * lists them: {@code rwdxylacuptfi}.
 */
public enum AccountSasPermission {
  READ('r'),
  WRITE('w'),
  DELETE('d'),
  DELETE_VERSION('x'),
  PERMANENT_DELETE('y'),
  LIST('l'),
  ADD('a'),
  CREATE('c'),
  UPDATE('u'),
  PROCESS('p'),
  TAGS('t'),
  FILTER('f'),
  SET_IMMUTABILITY_POLICY('i');

  private final char letter;

  AccountSasPermission(char letter) {
    this.letter = letter;
  }

  /** Returns the letter of this permission in {@code sp}. */
  public char letter() {
    return letter;
  }

  /** Returns the {@code sp} value of {@code permissions}, in canonical order. */
  public static String toLetters(Set<AccountSasPermission> permissions) {
    StringBuilder letters = new StringBuilder(permissions.size());
    for (AccountSasPermission permission : values()) {
      if (permissions.contains(permission)) {
        letters.append(permission.letter);
      }
    }
    return letters.toString();
  }
}
