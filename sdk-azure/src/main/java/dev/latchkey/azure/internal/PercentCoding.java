package dev.latchkey.azure.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding and decoding (RFC 3986) of blob names, query parameters and SAS fields, always
 * as UTF-8.
 */
public final class PercentCoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** Whether each ASCII character is unreserved ({@code A-Z a-z 0-9 - . _ ~}). */
  private static final boolean[] UNRESERVED = unreservedTable();

  private PercentCoding() {}

  /**
   * Encodes a URI path: every byte except unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) and
   * {@code /} becomes {@code %XX}. Azure Storage decodes each escape, so a blob name round-trips
   * byte for byte, including {@code + % ! $ & ' ( ) * , : ; = @} and non-ASCII characters.
   */
  public static String encodePath(String text) {
    return encode(text, true);
  }

  /** Encodes a query parameter name or value: like {@link #encodePath} but {@code /} is encoded too. */
  public static String encodeQueryComponent(String text) {
    return encode(text, false);
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8, and {@code +} as a space as Azure Storage does for query
   * parameters.
   *
   * @throws IllegalArgumentException if an escape is malformed
   */
  public static String decodeQueryComponent(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        bytes.write(hexByte(text, i));
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Appends {@code text} encoded as {@link #encodeQueryComponent} does, without an intermediate string. */
  public static void appendQueryComponent(StringBuilder out, String text) {
    append(out, text, false);
  }

  private static String encode(String text, boolean keepSlash) {
    if (isUnreservedOnly(text, keepSlash)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    append(out, text, keepSlash);
    return out.toString();
  }

  /** Appends runs of characters that stay as they are in one call each, and escapes the rest. */
  private static void append(StringBuilder out, String text, boolean keepSlash) {
    int runStart = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80 && (UNRESERVED[c] || (keepSlash && c == '/'))) {
        continue;
      }
      out.append(text, runStart, i);
      if (c < 0x80) {
        appendEscape(out, c);
      } else {
        int codePoint = text.codePointAt(i);
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
          appendEscape(out, b & 0xFF);
        }
        i += Character.charCount(codePoint) - 1;
      }
      runStart = i + 1;
    }
    out.append(text, runStart, text.length());
  }

  /** Returns whether a byte or ASCII character is unreserved ({@code A-Z a-z 0-9 - . _ ~}). */
  static boolean isUnreserved(int octet) {
    return octet >= 0 && octet < 0x80 && UNRESERVED[octet];
  }

  private static void appendEscape(StringBuilder out, int octet) {
    out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
  }

  private static boolean isUnreservedOnly(String text, boolean keepSlash) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 || !(UNRESERVED[c] || (keepSlash && c == '/'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean[] unreservedTable() {
    boolean[] table = new boolean[0x80];
    for (char c = 'a'; c <= 'z'; c++) {
      table[c] = true;
      table[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      table[c] = true;
    }
    table['-'] = true;
    table['.'] = true;
    table['_'] = true;
    table['~'] = true;
    return table;
  }

  private static int hexByte(String text, int percentIndex) {
    if (percentIndex + 2 >= text.length()) {
      throw new IllegalArgumentException("Invalid percent-encoding at the end of '" + text + "'");
    }
    int high = Character.digit(text.charAt(percentIndex + 1), 16);
    int low = Character.digit(text.charAt(percentIndex + 2), 16);
    if (high < 0 || low < 0) {
      throw new IllegalArgumentException(
          "Invalid percent-encoding '" + text.substring(percentIndex, percentIndex + 3) + "' in '" + text + "'");
    }
    return (high << 4) | low;
  }
}
