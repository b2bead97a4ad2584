package dev.latchkey.policy;

import dev.latchkey.LatchkeyException;

/**
 * A policy document is not valid JSON or does not follow the policy format. The message gives where
 * (a JSON pointer and, when known, the line and column), which field, and what is wrong. Not
 * retryable: the document has to be fixed.
 */
public class PolicyDocumentException extends LatchkeyException {

  private static final long serialVersionUID = 1L;

  private final String pointer;
  private final int line;
  private final int column;

  /**
   * Creates the exception.
   *
   * @param problem what is wrong, without the location
   * @param pointer the JSON pointer (RFC 6901) of the faulty value, {@code ""} for the document
   * @param line the 1-based line, or -1 when unknown
   * @param column the 1-based column, or -1 when unknown
   * @param cause the parser's exception, or {@code null}
   */
  public PolicyDocumentException(
      String problem, String pointer, int line, int column, Throwable cause) {
    super(format(problem, pointer, line, column), cause, false);
    this.pointer = pointer;
    this.line = line;
    this.column = column;
  }

  /** Returns the JSON pointer of the faulty value, such as {@code /roles/0/rules/2/actions/1}. */
  public String pointer() {
    return pointer;
  }

  /** Returns the 1-based line of the faulty value, or -1 when unknown. */
  public int line() {
    return line;
  }

  /** Returns the 1-based column of the faulty value, or -1 when unknown. */
  public int column() {
    return column;
  }

  private static String format(String problem, String pointer, int line, int column) {
    String where = pointer.isEmpty() ? "the document" : pointer;
    String position = line > 0 ? " (line " + line + ", column " + column + ")" : "";
    return "Invalid policy document at " + where + position + ": " + problem;
  }
}
