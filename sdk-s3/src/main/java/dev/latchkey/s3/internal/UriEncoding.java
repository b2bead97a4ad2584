package dev.latchkey.s3.internal;

/**
 * Percent-encoding as SigV4 defines it: every byte of the UTF-8 form outside the unreserved set
 * ({@code A-Z a-z 0-9 - _ . ~}) becomes {@code %XX} with upper-case hex digits.
 *
 * <p>The same rules build the URIs the S3 backend sends, so the path and query on the wire are
 * already in canonical form and the signature covers exactly those bytes.
 */
public final class UriEncoding {

  /** The unreserved set as a table of the 128 ASCII codes, so one lookup replaces up to seven comparisons. */
  private static final boolean[] UNRESERVED = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      UNRESERVED[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~';
    }
  }

  private UriEncoding() {}

  /** Returns whether {@code c} is in the SigV4 unreserved set. */
  public static boolean isUnreserved(int c) {
    return (c & ~0x7F) == 0 && UNRESERVED[c];
  }

  /**
   * Encodes text for a URI path, keeping {@code /} as the separator.
   *
   * @throws IllegalArgumentException if the text contains an unpaired surrogate, which has no UTF-8 form
   */
  public static String encodePath(String text) {
    ByteBuf out = new ByteBuf(text.length() + 16);
    appendEncoded(out, text, 0, text.length(), true);
    return out.toAsciiString(0, out.length());
  }

  /**
   * Encodes an object key for the path of an S3 URL. A {@code /} between two ordinary segments stays
   * a separator. A {@code /} next to an empty segment (a leading or trailing slash, or {@code //}) is
   * sent as {@code %2F}, because servers and proxies that merge repeated slashes in paths (Apache
   * httpd's {@code MergeSlashes}, nginx's {@code merge_slashes}) would address another key. A {@code
   * /} next to a {@code .} or {@code ..} segment is sent as {@code %2F} too, so that the segment is
   * part of a longer path segment that no URL parser resolves. A key that is only {@code .} or
   * {@code ..} has no slash to encode; callers reject it.
   */
  public static String encodeObjectKey(String key) {
    ByteBuf out = new ByteBuf(key.length() + 16);
    int start = 0;
    boolean previousPlain = false;
    while (true) {
      int end = key.indexOf('/', start);
      if (end < 0) {
        end = key.length();
      }
      boolean plain = isPlainSegment(key, start, end);
      if (start > 0) {
        if (previousPlain && plain) {
          out.append('/');
        } else {
          out.appendPercentEncoded('/');
        }
      }
      appendEncoded(out, key, start, end, false);
      if (end == key.length()) {
        return out.toAsciiString(0, out.length());
      }
      previousPlain = plain;
      start = end + 1;
    }
  }

  /** Returns whether {@code key[start..end)} is neither empty nor a dot segment ({@code .} or {@code ..}). */
  private static boolean isPlainSegment(String key, int start, int end) {
    int length = end - start;
    boolean dots = (length == 1 || length == 2) && key.charAt(start) == '.' && key.charAt(end - 1) == '.';
    return length > 0 && !dots;
  }

  /** Encodes text for a query parameter name or value; {@code /}, {@code =} and {@code &} are encoded. */
  public static String encodeQueryComponent(String text) {
    ByteBuf out = new ByteBuf(text.length() + 16);
    appendEncoded(out, text, 0, text.length(), false);
    return out.toAsciiString(0, out.length());
  }

  /**
   * Appends {@code text[from..to)} percent-encoded. With {@code keepSlash}, {@code /} stays as it is.
   *
   * @throws IllegalArgumentException if the text contains an unpaired surrogate
   */
  public static void appendEncoded(ByteBuf out, CharSequence text, int from, int to, boolean keepSlash) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        out.append(c);
      } else if (c < 0x80) {
        out.appendPercentEncoded(c);
      } else {
        int codePoint = codePointAt(text, i, to);
        appendEncodedUtf8(out, codePoint);
        i += Character.charCount(codePoint) - 1;
      }
    }
  }

  /**
   * Appends a path that is already percent-encoded, as S3 canonicalizes it: every {@code %XX} triplet
   * and every unreserved character and {@code /} is kept as it is, and any other character (such as
   * {@code $} or a space) is encoded. A path the backend built with {@link #encodePath} passes
   * through unchanged, so the canonical path equals the path on the wire.
   */
  public static void appendPathKeepingEscapes(ByteBuf out, CharSequence path) {
    int length = path.length();
    int i = appendUnreservedOrSlash(out, path);
    while (i < length) {
      if (path.charAt(i) == '%' && isEscapeAt(path, i, length)) {
        out.append('%').append(path.charAt(i + 1)).append(path.charAt(i + 2));
        i += 3;
      } else {
        int next = i + Character.charCount(codePointAt(path, i, length));
        appendEncoded(out, path, i, next, true);
        i = next;
      }
    }
  }

  /**
   * Copies the leading unreserved characters and slashes of {@code text}, which need no encoding,
   * and returns the index of the first other character, or the length if there is none.
   */
  private static int appendUnreservedOrSlash(ByteBuf out, CharSequence text) {
    int length = text.length();
    int start = out.length();
    byte[] bytes = out.reserve(length);
    int i = 0;
    while (i < length) {
      char c = text.charAt(i);
      if (c != '/' && !isUnreserved(c)) {
        break;
      }
      bytes[start + i] = (byte) c;
      i++;
    }
    out.setLength(start + i);
    return i;
  }

  /**
   * Appends a query parameter name or value in canonical form: percent-escapes are decoded, and the
   * resulting bytes encoded again, so {@code %7e}, {@code ~} and {@code %7E} all become {@code ~}. A
   * {@code +} is a literal plus sign (RFC 3986), and becomes {@code %2B}.
   */
  public static void appendQueryComponentCanonical(ByteBuf out, CharSequence raw, int from, int to) {
    int i = from;
    while (i < to) {
      char c = raw.charAt(i);
      if (c == '%' && isEscapeAt(raw, i, to)) {
        appendCanonicalByte(out, hexValue(raw.charAt(i + 1)) << 4 | hexValue(raw.charAt(i + 2)));
        i += 3;
      } else if (c < 0x80) {
        appendCanonicalByte(out, c);
        i++;
      } else {
        int codePoint = codePointAt(raw, i, to);
        appendEncodedUtf8(out, codePoint);
        i += Character.charCount(codePoint);
      }
    }
  }

  private static void appendCanonicalByte(ByteBuf out, int b) {
    if (isUnreserved(b)) {
      out.append(b);
    } else {
      out.appendPercentEncoded(b);
    }
  }

  /** Appends the UTF-8 bytes of a code point of 0x80 or more, each as {@code %XX}. */
  private static void appendEncodedUtf8(ByteBuf out, int codePoint) {
    if (codePoint < 0x800) {
      out.appendPercentEncoded(0xC0 | (codePoint >> 6));
    } else if (codePoint < 0x10000) {
      out.appendPercentEncoded(0xE0 | (codePoint >> 12));
      out.appendPercentEncoded(0x80 | ((codePoint >> 6) & 0x3F));
    } else {
      out.appendPercentEncoded(0xF0 | (codePoint >> 18));
      out.appendPercentEncoded(0x80 | ((codePoint >> 12) & 0x3F));
      out.appendPercentEncoded(0x80 | ((codePoint >> 6) & 0x3F));
    }
    out.appendPercentEncoded(0x80 | (codePoint & 0x3F));
  }

  private static int codePointAt(CharSequence text, int index, int limit) {
    char c = text.charAt(index);
    if (Character.isHighSurrogate(c) && index + 1 < limit && Character.isLowSurrogate(text.charAt(index + 1))) {
      return Character.toCodePoint(c, text.charAt(index + 1));
    }
    if (Character.isSurrogate(c)) {
      throw new IllegalArgumentException(
          "Invalid text at index " + index + ": an unpaired UTF-16 surrogate cannot be encoded as UTF-8");
    }
    return c;
  }

  private static boolean isEscapeAt(CharSequence text, int index, int limit) {
    return index + 2 < limit && hexValue(text.charAt(index + 1)) >= 0
        && hexValue(text.charAt(index + 2)) >= 0;
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
