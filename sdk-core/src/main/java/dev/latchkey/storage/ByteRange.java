package dev.latchkey.storage;

/**
 * An inclusive range of bytes of an object, as in the HTTP {@code Range} header (RFC 9110).
 *
 * @param first the offset of the first byte, from 0
 * @param last the offset of the last byte, inclusive, or -1 for "to the end"
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0) {
      throw new IllegalArgumentException("Invalid range start " + first + ": it must be 0 or more");
    }
    if (last != -1 && last < first) {
      throw new IllegalArgumentException(
          "Invalid range " + first + "-" + last + ": the last byte is before the first");
    }
  }

  /** Returns the range from {@code first} to the end of the object. */
  public static ByteRange from(long first) {
    return new ByteRange(first, -1);
  }

  /** Returns the value of an HTTP {@code Range} header, such as {@code bytes=0-1023}. */
  public String toHeaderValue() {
    return "bytes=" + first + "-" + (last == -1 ? "" : Long.toString(last));
  }
}
