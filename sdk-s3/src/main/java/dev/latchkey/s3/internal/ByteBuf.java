package dev.latchkey.s3.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that the signer reuses across signatures, so building a canonical request
 * allocates nothing once the array has reached its working size. Not thread-safe: each thread has
 * its own, held in {@link SigningWorkspace}.
 */
public final class ByteBuf {

  private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final VarHandle INT_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int length;

  public ByteBuf(int initialCapacity) {
    this.bytes = new byte[initialCapacity];
  }

  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  public void reset() {
    length = 0;
  }

  /**
   * Sets the content length: shorter to drop bytes, or longer after writing into the space that
   * {@link #reserve} made.
   */
  public void setLength(int newLength) {
    length = newLength;
  }

  public ByteBuf append(int b) {
    ensureCapacity(1);
    bytes[length++] = (byte) b;
    return this;
  }

  /** Appends characters that are known to be ASCII, one byte each. */
  public ByteBuf appendAscii(CharSequence text) {
    return appendAscii(text, 0, text.length());
  }

  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) copies ASCII text without a charset lookup
  public ByteBuf appendAscii(CharSequence text, int from, int to) {
    ensureCapacity(to - from);
    if (text instanceof String string) {
      string.getBytes(from, to, bytes, length);
      length += to - from;
      return this;
    }
    for (int i = from; i < to; i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
    return this;
  }

  public ByteBuf append(byte[] source, int from, int to) {
    ensureCapacity(to - from);
    System.arraycopy(source, from, bytes, length, to - from);
    length += to - from;
    return this;
  }

  /** Appends a decimal number. */
  public ByteBuf appendDecimal(long value) {
    if (value < 0) {
      append('-');
      value = -value;
    }
    int start = length;
    do {
      append((int) ('0' + value % 10));
      value /= 10;
    } while (value > 0);
    reverse(start, length - 1);
    return this;
  }

  /** Appends {@code %XX} with upper-case hex digits, as percent-encoding requires. */
  public ByteBuf appendPercentEncoded(int b) {
    ensureCapacity(3);
    bytes[length++] = '%';
    bytes[length++] = HEX_UPPER[(b >> 4) & 0xF];
    bytes[length++] = HEX_UPPER[b & 0xF];
    return this;
  }

  /** Appends {@code source[from..to)} as lower-case hex, as SigV4 writes hashes and signatures. */
  public ByteBuf appendHex(byte[] source, int from, int to) {
    ensureCapacity(2 * (to - from));
    int i = from;
    for (; i + 4 <= to; i += 4) {
      LONG_BIG_ENDIAN.set(bytes, length, hexOf((int) INT_BIG_ENDIAN.get(source, i)));
      length += 8;
    }
    for (; i < to; i++) {
      bytes[length++] = HEX_LOWER[(source[i] >> 4) & 0xF];
      bytes[length++] = HEX_LOWER[source[i] & 0xF];
    }
    return this;
  }

  /**
   * Returns the 8 lower-case hex digits of {@code word} as ASCII bytes of a long, most significant
   * digit in the top byte. It spreads the nibbles one per byte with shifts and masks, then adds
   * {@code '0'} to each, and 39 more ({@code 'a' - '0' - 10}) to each nibble of 10 or more, which
   * is the nibbles whose byte carries into bit 4 when 6 is added. Four bytes take about a dozen
   * operations instead of eight table lookups.
   */
  private static long hexOf(int word) {
    long v = word & 0xFFFF_FFFFL;
    v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFFL;
    v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FFL;
    v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0FL;
    long atLeastTen = ((v + 0x0606_0606_0606_0606L) >>> 4) & 0x0101_0101_0101_0101L;
    return v + 0x3030_3030_3030_3030L + atLeastTen * 39;
  }

  /** Appends one character as UTF-8; a surrogate pair must be passed as its code point. */
  public ByteBuf appendUtf8(int codePoint) {
    if (codePoint < 0x80) {
      return append(codePoint);
    }
    if (codePoint < 0x800) {
      return append(0xC0 | (codePoint >> 6)).append(0x80 | (codePoint & 0x3F));
    }
    if (codePoint < 0x10000) {
      return append(0xE0 | (codePoint >> 12)).append(0x80 | ((codePoint >> 6) & 0x3F))
          .append(0x80 | (codePoint & 0x3F));
    }
    return append(0xF0 | (codePoint >> 18)).append(0x80 | ((codePoint >> 12) & 0x3F))
        .append(0x80 | ((codePoint >> 6) & 0x3F)).append(0x80 | (codePoint & 0x3F));
  }

  /** Returns whether {@code [from, to)} contains the same bytes as the ASCII text. */
  public boolean regionEquals(int from, int to, CharSequence ascii) {
    if (to - from != ascii.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (bytes[i] != ascii.charAt(i - from)) {
        return false;
      }
    }
    return true;
  }

  /** Compares two regions as unsigned bytes, in the order SigV4 sorts query parameters. */
  public int compareRegions(int from1, int to1, int from2, int to2) {
    return Arrays.compareUnsigned(bytes, from1, to1, bytes, from2, to2);
  }

  /** Returns the content as a string, decoded as ISO-8859-1 (the content is ASCII in practice). */
  public String toAsciiString(int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }

  public String toUtf8String() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private void reverse(int from, int to) {
    while (from < to) {
      byte swap = bytes[from];
      bytes[from++] = bytes[to];
      bytes[to--] = swap;
    }
  }

  /**
   * Makes room for {@code extra} more bytes and returns the backing array, for callers that write
   * bytes from {@link #length()} on themselves and then call {@link #setLength} with the new length.
   */
  public byte[] reserve(int extra) {
    ensureCapacity(extra);
    return bytes;
  }

  private void ensureCapacity(int extra) {
    if (length + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
    }
  }
}
