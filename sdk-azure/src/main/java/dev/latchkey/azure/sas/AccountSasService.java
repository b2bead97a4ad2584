package dev.latchkey.azure.sas;

import java.util.Set;

/** The services an account SAS grants access to ({@code ss}), in canonical order: {@code bfqt}. */
public enum AccountSasService {
  BLOB('b'),
  FILE('f'),
  QUEUE('q'),
  TABLE('t');

  private final char letter;

  AccountSasService(char letter) {
    this.letter = letter;
  }

  /** Returns the {@code ss} value of {@code services}, in canonical order. */
  public static String toLetters(Set<AccountSasService> services) {
    StringBuilder letters = new StringBuilder(services.size());
    for (AccountSasService service : values()) {
      if (services.contains(service)) {
        letters.append(service.letter);
      }
    }
    return letters.toString();
  }
}
