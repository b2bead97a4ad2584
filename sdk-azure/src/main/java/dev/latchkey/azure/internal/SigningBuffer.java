package dev.latchkey.azure.internal;

import dev.latchkey.signing.SignableRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Per-thread scratch space for Shared Key and SAS signing: the string to sign as UTF-8 bytes, the
 * HMAC output and its Base64 form, and the arrays that sort headers and query parameters.
 *
 * <p>Building the string to sign in these reused bytes and handing them to the HMAC avoids the
 * StringBuilder, the String and its UTF-8 copy of each signature. A buffer is never shared between
 * threads and never handed out of the signing code. {@link #current()} clears it, so a caller must
 * finish with it before it signs anything else.
 */
public final class SigningBuffer {

  private static final ThreadLocal<SigningBuffer> CURRENT = ThreadLocal.withInitial(SigningBuffer::new);

  /** Buffers that grew past this size for one large request are dropped after use. */
  private static final int RETAINED_CAPACITY = 16 * 1024;

  /** The first second of the years that {@link #appendIsoTime} writes itself: 1000-01-01 and 10000-01-01. */
  private static final long YEAR_1000 = -30_610_224_000L;
  private static final long YEAR_10000 = 253_402_300_800L;

  private static final int TIME_CACHE_SLOTS = 4;
  private static final int SHARED_KEY_LAYOUTS = 4;
  static final int ISO_TIME_BYTES = 20;
  /** The length of an ISO time with both colons percent-encoded as {@code %3A}. */
  private static final int ENCODED_ISO_TIME_BYTES = ISO_TIME_BYTES + 4;

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BASE64_DIGITS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes = new byte[1024];
  private int length;
  private final byte[] mac = new byte[HmacSha256.MAC_BYTES];
  /** Whether {@link #mac} contains a signature that {@link #appendSignature} has yet to append. */
  private boolean hasSignature;

  /**
   * The last times {@link #appendIsoTime} formatted, plain and query-encoded, replaced in turn: a
   * SAS writes its start and expiry twice each (and a user delegation SAS its key's two times as
   * well), and signings with the same times share them.
   */
  private final long[] formattedSeconds = new long[TIME_CACHE_SLOTS];
  private final byte[][] formattedTimes = new byte[TIME_CACHE_SLOTS][ISO_TIME_BYTES];
  private final byte[][] encodedTimes = new byte[TIME_CACHE_SLOTS][ENCODED_ISO_TIME_BYTES];
  private int nextTimeSlot;

  /**
   * The start and expiry seconds of the last SAS window that {@link #appendSasTimes} wrote, and their
   * two forms: {@code start\nexpiry} for a string to sign, and {@code &st=start&se=expiry} with the
   * colons percent-encoded for a query.
   */
  private long windowStartSecond = Long.MIN_VALUE;
  private long windowExpirySecond = Long.MIN_VALUE;
  private final byte[] windowFields = new byte[2 * ISO_TIME_BYTES + 1];
  private final byte[] windowQuery = new byte[2 * (ENCODED_ISO_TIME_BYTES + 4)];

  /** Name and value pairs sorted by name, for canonicalized headers and query parameters. */
  final SortedPairs pairs = new SortedPairs();

  private String[] headerSlots = new String[0];

  /**
   * The bytes of {@code scheme account:} of the last {@link #signAndFormatAuthorization}, kept with
   * the scheme and account objects they were encoded from.
   */
  private byte[] authorizationPrefix;
  /**
   * Per-thread state of {@code BlobSas} (its recently encoded fixed parts), kept here so that signing
   * needs one {@link ThreadLocal} lookup rather than two. It contains no key, account or signature.
   */
  private Object blobSasState;
  /** The account name of the last SAS string to sign, as UTF-8, with the name object it was encoded from. */
  private final EncodedText sasAccount = new EncodedText();
  private String authorizationScheme;
  private String authorizationAccount;

  /**
   * The layouts of the last Shared Key requests this thread signed with different header names,
   * created on first use and replaced in turn, so that a thread that alternates between a few kinds
   * of request keeps one layout for each.
   */
  private final SharedKeyLayout[] sharedKeyLayouts = new SharedKeyLayout[SHARED_KEY_LAYOUTS];
  private int nextSharedKeyLayout;
  /** The header names of the last request that matched no layout. */
  private final HeaderNames unmatchedNames = new HeaderNames();

  private SigningBuffer() {
    Arrays.fill(formattedSeconds, Long.MIN_VALUE);
  }

  /** Returns this thread's buffer, emptied. */
  public static SigningBuffer current() {
    SigningBuffer buffer = CURRENT.get();
    buffer.clear();
    return buffer;
  }

  /** Returns the state that {@link #blobSasState(Object)} stored on this thread's buffer, or null. */
  public Object blobSasState() {
    return blobSasState;
  }

  /** Stores per-thread state of {@code BlobSas} with this buffer. */
  public void blobSasState(Object state) {
    this.blobSasState = state;
  }

  /** Empties the buffer, and shrinks it if one large request made it grow. */
  public void clear() {
    length = 0;
    hasSignature = false;
    if (bytes.length > RETAINED_CAPACITY) {
      bytes = new byte[1024];
    }
    pairs.clear();
  }

  /**
   * Returns a reused array of {@code count} nulls for the standard header values of a Shared Key
   * string to sign; the caller sets its entries back to null when it is done.
   */
  String[] headerSlots(int count) {
    if (headerSlots.length != count) {
      headerSlots = new String[count];
    } else {
      Arrays.fill(headerSlots, null);
    }
    return headerSlots;
  }

  /**
   * Returns this thread's layout for {@code headers}. If none matches and the names are the objects
   * of the last request that found none, builds one in place of the oldest. Otherwise records the
   * names and returns null, because names built anew for each request never come back, and building
   * a layout costs more than writing the general form once.
   */
  SharedKeyLayout sharedKeyLayout(List<SignableRequest.Header> headers) {
    SharedKeyLayout[] layouts = sharedKeyLayouts;
    for (SharedKeyLayout layout : layouts) {
      if (layout != null && layout.matches(headers)) {
        return layout;
      }
    }
    if (!unmatchedNames.matches(headers)) {
      unmatchedNames.record(headers);
      return null;
    }
    unmatchedNames.clear();
    int slot = nextSharedKeyLayout;
    nextSharedKeyLayout = (slot + 1) % layouts.length;
    if (layouts[slot] == null) {
      layouts[slot] = new SharedKeyLayout();
    }
    layouts[slot].build(headers);
    return layouts[slot];
  }

  public int length() {
    return length;
  }

  /** Drops everything after the first {@code newLength} bytes. */
  public void truncate(int newLength) {
    length = newLength;
  }

  /** Appends one ASCII character. */
  public SigningBuffer append(char asciiChar) {
    ensureCapacity(1);
    bytes[length++] = (byte) asciiChar;
    return this;
  }

  /** Appends {@code text} as UTF-8; {@code null} appends nothing. */
  public SigningBuffer append(String text) {
    if (text == null) {
      return this;
    }
    ensureCapacity(text.length());
    int end = putAscii(text, length);
    if (end >= 0) {
      length = end;
    } else {
      appendNonAscii(text, 0, text.length());
    }
    return this;
  }

  /**
   * Appends bytes {@code from} to {@code to} of {@code encoded}, text already encoded as UTF-8 such
   * as the fixed parts of a SAS that {@link #toByteArray} returned.
   */
  public SigningBuffer append(byte[] encoded, int from, int to) {
    ensureCapacity(to - from);
    System.arraycopy(encoded, from, bytes, length, to - from);
    length += to - from;
    return this;
  }

  /** Appends {@code text} as UTF-8 and a newline; {@code null} appends only the newline. */
  public SigningBuffer appendLine(String text) {
    if (text == null) {
      return append('\n');
    }
    ensureCapacity(text.length() + 1);
    int end = putAscii(text, length);
    if (end < 0) {
      return append(text).append('\n');
    }
    bytes[end] = '\n';
    length = end + 1;
    return this;
  }

  /** Appends {@code name:value} and a newline, both as UTF-8. */
  public SigningBuffer appendHeaderLine(String name, String value) {
    ensureCapacity(name.length() + value.length() + 2);
    int nameEnd = putAscii(name, length);
    int valueEnd = nameEnd < 0 ? -1 : putAscii(value, nameEnd + 1);
    if (valueEnd < 0) {
      return append(name).append(':').append(value).append('\n');
    }
    bytes[nameEnd] = ':';
    bytes[valueEnd] = '\n';
    length = valueEnd + 1;
    return this;
  }

  /**
   * Appends {@code text}, trimmed when {@code trim} is set, as UTF-8. When {@code text} is the object
   * that {@code memo} encoded last, its bytes are copied instead; otherwise {@code memo} keeps the new
   * bytes, unless there are more than {@link EncodedText#MAX_KEPT_BYTES}.
   */
  SigningBuffer appendRemembered(String text, EncodedText memo, boolean trim) {
    if (text == memo.text) {
      return append(memo.bytes, 0, memo.length);
    }
    int start = length;
    append(trim ? text.trim() : text);
    int encodedLength = length - start;
    if (encodedLength > EncodedText.MAX_KEPT_BYTES) {
      memo.clear();
      return this;
    }
    if (memo.bytes.length < encodedLength) {
      memo.bytes = new byte[Math.max(encodedLength, 2 * memo.bytes.length)];
    }
    System.arraycopy(bytes, start, memo.bytes, 0, encodedLength);
    memo.length = encodedLength;
    memo.text = text;
    return this;
  }

  /**
   * Copies {@code text} to {@code position} one byte per character if all its characters are ASCII,
   * and returns the position after it; returns -1, with the bytes written so far left beyond {@link
   * #length}, if any is not. The caller ensures the capacity.
   */
  private int putAscii(String text, int position) {
    byte[] target = bytes;
    int textLength = text.length();
    // No branch per character: all are ORed together and checked once at the end.
    int combined = 0;
    for (int i = 0; i < textLength; i++) {
      char c = text.charAt(i);
      combined |= c;
      target[position + i] = (byte) c;
    }
    return combined < 0x80 ? position + textLength : -1;
  }

  /**
   * Appends characters {@code from} to {@code to} of {@code text} as UTF-8, writing an unpaired
   * surrogate as {@code ?} exactly as {@link String#getBytes(java.nio.charset.Charset)} does.
   */
  public SigningBuffer append(String text, int from, int to) {
    ensureCapacity(to - from);
    byte[] target = bytes;
    int position = length;
    // Copies every character as if it were ASCII, without a branch per character, and ORs them
    // together to find out afterwards whether that was right.
    int combined = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      combined |= c;
      target[position++] = (byte) c;
    }
    if (combined < 0x80) {
      length = position;
    } else {
      appendNonAscii(text, from, to);
    }
    return this;
  }

  private void appendNonAscii(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      ensureCapacity(4);
      if (c < 0x80) {
        bytes[length++] = (byte) c;
      } else if (c < 0x800) {
        bytes[length++] = (byte) (0xC0 | (c >> 6));
        bytes[length++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
        bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
        bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
      } else if (Character.isSurrogate(c)) {
        bytes[length++] = '?';
      } else {
        bytes[length++] = (byte) (0xE0 | (c >> 12));
        bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  /**
   * Appends the account name of a SAS string to sign as UTF-8, copying the bytes of the last SAS of
   * this thread when {@code accountName} is the same object.
   */
  public SigningBuffer appendSasAccount(String accountName) {
    return appendRemembered(accountName, sasAccount, false);
  }

  /** Appends a newline and {@code value}, one field of a SAS string to sign; {@code null} is an empty field. */
  public SigningBuffer appendField(String value) {
    return append('\n').append(value);
  }

  /**
   * Appends {@code text} percent-encoded as a query component: every UTF-8 byte except {@code A-Z
   * a-z 0-9 - . _ ~} becomes {@code %XX}, as {@link PercentCoding#encodeQueryComponent} does.
   */
  public SigningBuffer appendQueryComponent(String text) {
    int start = length;
    append(text);
    int end = length;
    int escapes = 0;
    for (int i = start; i < end; i++) {
      int b = bytes[i] & 0xFF;
      if (!PercentCoding.isUnreserved(b)) {
        escapes++;
      }
    }
    if (escapes == 0) {
      return this;
    }
    ensureCapacity(2 * escapes);
    int read = end - 1;
    int write = end - 1 + 2 * escapes;
    length = write + 1;
    while (read >= start) {
      int b = bytes[read--] & 0xFF;
      if (PercentCoding.isUnreserved(b)) {
        bytes[write--] = (byte) b;
      } else {
        bytes[write--] = HEX[b & 0xF];
        bytes[write--] = HEX[b >> 4];
        bytes[write--] = '%';
      }
    }
    return this;
  }

  /** Appends {@code &name=value} with the value percent-encoded, unless the value is null or empty. */
  public SigningBuffer appendQueryParameter(String name, String value) {
    if (value == null || value.isEmpty()) {
      return this;
    }
    return append('&').append(name).append('=').appendQueryComponent(value);
  }

  /**
   * Appends {@code time} truncated to the second in ISO 8601 UTC form, such as {@code
   * 2026-03-05T07:08:09Z}, with each colon as {@code %3A} when {@code queryEncoded}.
   */
  public SigningBuffer appendIsoTime(Instant time, boolean queryEncoded) {
    long epochSecond = time.getEpochSecond();
    if (!isFormattedByHand(epochSecond)) {
      String text = SasTimes.format(time);
      return queryEncoded ? appendQueryComponent(text) : append(text);
    }
    int slot = timeSlot(epochSecond);
    byte[] text = queryEncoded ? encodedTimes[slot] : formattedTimes[slot];
    ensureCapacity(text.length);
    System.arraycopy(text, 0, bytes, length, text.length);
    length += text.length;
    return this;
  }

  /**
   * Appends the start and expiry of a SAS in ISO 8601 UTC form, truncated to the second: {@code
   * start\nexpiry} as in a string to sign, or with {@code queryEncoded} {@code &st=start&se=expiry}
   * with each colon as {@code %3A}. A thread that writes the same two seconds again copies the bytes
   * it wrote last time.
   */
  public SigningBuffer appendSasTimes(Instant start, Instant expiry, boolean queryEncoded) {
    long startSecond = start.getEpochSecond();
    long expirySecond = expiry.getEpochSecond();
    if (startSecond != windowStartSecond || expirySecond != windowExpirySecond) {
      if (!isFormattedByHand(startSecond) || !isFormattedByHand(expirySecond)) {
        return queryEncoded
            ? append("&st=").appendIsoTime(start, true).append("&se=").appendIsoTime(expiry, true)
            : appendIsoTime(start, false).append('\n').appendIsoTime(expiry, false);
      }
      formatSasTimes(startSecond, expirySecond);
    }
    byte[] times = queryEncoded ? windowQuery : windowFields;
    return append(times, 0, times.length);
  }

  private void formatSasTimes(long startSecond, long expirySecond) {
    // Copies the start before looking up the expiry, whose formatting may take the start's slot.
    int start = timeSlot(startSecond);
    System.arraycopy(formattedTimes[start], 0, windowFields, 0, ISO_TIME_BYTES);
    windowFields[ISO_TIME_BYTES] = '\n';
    int position = putAsciiBytes(windowQuery, 0, "&st=");
    System.arraycopy(encodedTimes[start], 0, windowQuery, position, ENCODED_ISO_TIME_BYTES);
    position = putAsciiBytes(windowQuery, position + ENCODED_ISO_TIME_BYTES, "&se=");
    int expiry = timeSlot(expirySecond);
    System.arraycopy(formattedTimes[expiry], 0, windowFields, ISO_TIME_BYTES + 1, ISO_TIME_BYTES);
    System.arraycopy(encodedTimes[expiry], 0, windowQuery, position, ENCODED_ISO_TIME_BYTES);
    windowStartSecond = startSecond;
    windowExpirySecond = expirySecond;
  }

  private static int putAsciiBytes(byte[] target, int position, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      target[position + i] = (byte) ascii.charAt(i);
    }
    return position + ascii.length();
  }

  /** Returns the cache slot with {@code epochSecond} formatted, formatting it on a miss. */
  private int timeSlot(long epochSecond) {
    for (int slot = 0; slot < TIME_CACHE_SLOTS; slot++) {
      if (formattedSeconds[slot] == epochSecond) {
        return slot;
      }
    }
    int slot = nextTimeSlot;
    nextTimeSlot = (slot + 1) % TIME_CACHE_SLOTS;
    byte[] text = formattedTimes[slot];
    formatIsoTime(epochSecond, text);
    byte[] encoded = encodedTimes[slot];
    int position = 0;
    for (byte b : text) {
      if (b == ':') {
        encoded[position++] = '%';
        encoded[position++] = '3';
        encoded[position++] = 'A';
      } else {
        encoded[position++] = b;
      }
    }
    formattedSeconds[slot] = epochSecond;
    return slot;
  }

  /** Returns whether {@link #formatIsoTime} handles the second: years 1000 to 9999. */
  static boolean isFormattedByHand(long epochSecond) {
    return epochSecond >= YEAR_1000 && epochSecond < YEAR_10000;
  }

  /**
   * Writes {@code yyyy-MM-ddTHH:mm:ssZ} for a second of the years 1000 to 9999, with the civil date
   * from the days since 1970-01-01 in the proleptic Gregorian calendar, counting years from March so
   * that the leap day ends a year (Howard Hinnant's civil_from_days).
   */
  static void formatIsoTime(long epochSecond, byte[] text) {
    int days = (int) Math.floorDiv(epochSecond, 86_400L);
    int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
    int shifted = days + 719_468;
    int era = Math.floorDiv(shifted, 146_097);
    int dayOfEra = shifted - era * 146_097;
    int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int monthFromMarch = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    int year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    writeDigits(text, 0, year / 100);
    writeDigits(text, 2, year % 100);
    text[4] = '-';
    writeDigits(text, 5, month);
    text[7] = '-';
    writeDigits(text, 8, day);
    text[10] = 'T';
    writeDigits(text, 11, secondOfDay / 3_600);
    text[13] = ':';
    writeDigits(text, 14, secondOfDay / 60 % 60);
    text[16] = ':';
    writeDigits(text, 17, secondOfDay % 60);
    text[19] = 'Z';
  }

  private static void writeDigits(byte[] text, int offset, int twoDigitValue) {
    text[offset] = (byte) ('0' + twoDigitValue / 10);
    text[offset + 1] = (byte) ('0' + twoDigitValue % 10);
  }

  /** Computes the HMAC-SHA256 of the contents into {@link #mac}. */
  private void computeMac(HmacSha256 hmac) {
    hmac.sign(bytes, 0, length, mac);
  }

  /** Computes the HMAC-SHA256 of the contents and returns it in Base64; the contents stay. */
  public String signBase64(HmacSha256 hmac) {
    computeMac(hmac);
    return Base64.getEncoder().encodeToString(mac);
  }

  /**
   * Computes the HMAC-SHA256 of the contents, then replaces the contents with an {@code
   * Authorization} header value, {@code scheme account:signature}, and returns it.
   */
  public String signAndFormatAuthorization(HmacSha256 hmac, String scheme, String accountName) {
    computeMac(hmac);
    length = 0;
    if (scheme == authorizationScheme && accountName == authorizationAccount) {
      append(authorizationPrefix, 0, authorizationPrefix.length);
    } else {
      append(scheme).append(' ').append(accountName).append(':');
      authorizationPrefix = toByteArray();
      authorizationScheme = scheme;
      authorizationAccount = accountName;
    }
    appendMacBase64(false);
    return toString();
  }

  /**
   * Computes the HMAC-SHA256 of the contents, then drops the contents; the next {@link
   * #appendSignature} appends it. Lets one buffer hold the string to sign and then the query.
   */
  public void signAndClear(HmacSha256 hmac) {
    computeMac(hmac);
    hasSignature = true;
    length = 0;
  }

  /** Appends the Base64 signature of the last {@link #signAndClear}, percent-encoded. */
  public SigningBuffer appendSignature() {
    if (!hasSignature) {
      throw new IllegalStateException("No signature to append: call signAndClear first");
    }
    appendMacBase64(true);
    hasSignature = false;
    return this;
  }

  /**
   * Appends {@link #mac} in standard Base64 with padding (RFC 4648, section 4), with {@code +}, {@code
   * /} and {@code =} as {@code %2B}, {@code %2F} and {@code %3D} when {@code percentEncoded}. Written
   * by hand so the signature goes straight into the buffer, without the array and the second
   * percent-encoding pass that {@link Base64.Encoder} would need.
   */
  private void appendMacBase64(boolean percentEncoded) {
    ensureCapacity(3 * 44);
    byte[] source = mac;
    byte[] target = bytes;
    int position = length;
    int i = 0;
    // 32 bytes: ten groups of three bytes, then two bytes and one padding character.
    for (; i + 3 <= source.length; i += 3) {
      int group = (source[i] & 0xFF) << 16 | (source[i + 1] & 0xFF) << 8 | (source[i + 2] & 0xFF);
      position = putBase64Digit(target, position, group >>> 18, percentEncoded);
      position = putBase64Digit(target, position, (group >>> 12) & 0x3F, percentEncoded);
      position = putBase64Digit(target, position, (group >>> 6) & 0x3F, percentEncoded);
      position = putBase64Digit(target, position, group & 0x3F, percentEncoded);
    }
    int group = (source[i] & 0xFF) << 16 | (source[i + 1] & 0xFF) << 8;
    position = putBase64Digit(target, position, group >>> 18, percentEncoded);
    position = putBase64Digit(target, position, (group >>> 12) & 0x3F, percentEncoded);
    position = putBase64Digit(target, position, (group >>> 6) & 0x3F, percentEncoded);
    if (percentEncoded) {
      target[position++] = '%';
      target[position++] = '3';
      target[position++] = 'D';
    } else {
      target[position++] = '=';
    }
    length = position;
  }

  private static int putBase64Digit(byte[] target, int position, int digit, boolean percentEncoded) {
    byte c = BASE64_DIGITS[digit];
    if (percentEncoded && digit >= 62) {
      target[position] = '%';
      target[position + 1] = '2';
      target[position + 2] = (byte) (digit == 62 ? 'B' : 'F');
      return position + 3;
    }
    target[position] = c;
    return position + 1;
  }

  /**
   * Returns the contents decoded as UTF-8, then zeroes them and the last signature, so a SAS token,
   * which is a bearer secret, does not stay in this thread's buffer.
   */
  public String toStringAndWipe() {
    String text = toString();
    Arrays.fill(bytes, 0, length, (byte) 0);
    Arrays.fill(mac, (byte) 0);
    length = 0;
    hasSignature = false;
    return text;
  }

  /** Returns a copy of the contents. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** Returns the contents decoded as UTF-8. */
  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private void ensureCapacity(int extra) {
    if (length + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
    }
  }

  /** The header names of one request, compared by identity. */
  static final class HeaderNames {
    private String[] names = new String[16];
    /** The number of names, or -1 when none are recorded. */
    private int count = -1;

    boolean matches(List<SignableRequest.Header> headers) {
      int size = headers.size();
      if (size != count) {
        return false;
      }
      String[] known = names;
      for (int i = 0; i < size; i++) {
        if (headers.get(i).name() != known[i]) {
          return false;
        }
      }
      return true;
    }

    void record(List<SignableRequest.Header> headers) {
      int size = headers.size();
      if (names.length < size) {
        names = new String[Math.max(size, 2 * names.length)];
      }
      for (int i = 0; i < size; i++) {
        names[i] = headers.get(i).name();
      }
      Arrays.fill(names, size, names.length, null);
      count = size;
    }

    void clear() {
      Arrays.fill(names, null);
      count = -1;
    }
  }

  /**
   * The UTF-8 form of the last text appended through {@link #appendRemembered}, with that text
   * object, so that appending the same object again copies bytes instead of encoding characters.
   */
  static final class EncodedText {
    /** Texts longer than this many UTF-8 bytes are not kept. */
    static final int MAX_KEPT_BYTES = 256;

    private String text;
    private byte[] bytes = new byte[32];
    private int length;

    void clear() {
      text = null;
      length = 0;
    }
  }

  /**
   * Name and value pairs kept sorted by name as they are added. Requests have a handful of {@code
   * x-ms-} headers and query parameters, so an insertion sort into reused arrays beats a map or a
   * list sort; it is stable, so repeated names keep the order in which they were sent.
   */
  static final class SortedPairs {
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int size;

    void clear() {
      Arrays.fill(names, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
    }

    int size() {
      return size;
    }

    String name(int index) {
      return names[index];
    }

    String value(int index) {
      return values[index];
    }

    /** Adds a query parameter, sorted by code point. */
    void add(String name, String value) {
      insert(name, value, false);
    }

    /** Adds a canonicalized header, sorted by {@link SharedKeyStrings#compareHeaderNames}. */
    void addHeader(String name, String value) {
      insert(name, value, true);
    }

    private void insert(String name, String value, boolean headerOrder) {
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      int position = size;
      while (position > 0 && compare(names[position - 1], name, headerOrder) > 0) {
        names[position] = names[position - 1];
        values[position] = values[position - 1];
        position--;
      }
      names[position] = name;
      values[position] = value;
      size++;
    }

    private static int compare(String a, String b, boolean headerOrder) {
      return headerOrder ? SharedKeyStrings.compareHeaderNames(a, b) : a.compareTo(b);
    }
  }
}
