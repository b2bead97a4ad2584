package dev.latchkey.audit.internal;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Lenient percent-decoding for redaction: a malformed escape is kept as it is rather than rejected,
 * because a redactor must return something for any input.
 */
public final class PercentCodec {

  /** How many layers of encoding {@link #decodeFully(String)} removes at most. */
  private static final int MAX_LAYERS = 3;

  private PercentCodec() {}

  /** Decodes {@code %XX} escapes and, for form encoding, {@code +} as a space. */
  public static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = i + 2 < text.length() && c == '%' ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (low >= 0) {
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Decodes repeatedly, up to three layers, so that a doubly encoded name is recognized. */
  public static String decodeFully(String text) {
    String decoded = text;
    for (int layer = 0; layer < MAX_LAYERS && decoded.indexOf('%') >= 0; layer++) {
      decoded = decode(decoded);
    }
    return decode(decoded);
  }

  /** Encodes a value for a query string or a form body. */
  public static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
