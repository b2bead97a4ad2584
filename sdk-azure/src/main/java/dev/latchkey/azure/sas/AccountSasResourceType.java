package dev.latchkey.azure.sas;

import java.util.Set;

/**
 * The kinds of resource an account SAS grants access to ({@code srt}), in canonical order: {@code
 * sco} (service, container, object).
 */
public enum AccountSasResourceType {
  /** Service-level operations, such as listing containers. */
  SERVICE('s'),
  /** Container-level operations, such as creating a container or listing its blobs. */
  CONTAINER('c'),
  /** Object-level operations, such as reading or writing a blob. */
  OBJECT('o');

  private final char letter;

  AccountSasResourceType(char letter) {
    this.letter = letter;
  }

  /** Returns the {@code srt} value of {@code types}, in canonical order. */
  public static String toLetters(Set<AccountSasResourceType> types) {
    StringBuilder letters = new StringBuilder(types.size());
    for (AccountSasResourceType type : values()) {
      if (types.contains(type)) {
        letters.append(type.letter);
      }
    }
    return letters.toString();
  }
}
