package dev.latchkey.azure.sas;

/** A SAS string to sign: fields joined by newlines, with an absent value as an empty field. */
final class SignedFields {

  private final StringBuilder text = new StringBuilder(320);
  private boolean empty = true;

  SignedFields add(String value) {
    if (!empty) {
      text.append('\n');
    }
    empty = false;
    if (value != null) {
      text.append(value);
    }
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
