package dev.latchkey.s3.internal;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.signing.SignableRequest;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;

/**
 * Per-thread scratch space for {@link SigV4Engine}: byte buffers, the SHA-256 instance, the HMAC
 * pads of the last signing key, arrays for sorting headers and query parameters, the last formatted
 * date, and the parts of a signature that depend only on the credential and date.
 *
 * <p>Reusing these per thread is what keeps a signature to a few hundred allocated bytes: building a
 * canonical request from Strings and Lists would allocate several kilobytes. Never shared between
 * threads and never handed out of the engine.
 */
final class SigningWorkspace {

  private static final byte[] DATE_PARAMETER = "X-Amz-Date=".getBytes(StandardCharsets.US_ASCII);

  private static final ThreadLocal<SigningWorkspace> CURRENT = ThreadLocal.withInitial(SigningWorkspace::new);

  final ByteBuf canonical = new ByteBuf(1024);
  final ByteBuf signedHeaders = new ByteBuf(128);
  final ByteBuf stringToSign = new ByteBuf(256);
  final ByteBuf output = new ByteBuf(512);
  final ByteBuf params = new ByteBuf(512);
  final byte[] digest = new byte[32];
  final MessageDigest sha256 = newSha256();
  final Mac derivationMac = SigningKeyCache.newHmacSha256();

  /** Lower-case header names, back to back; header {@code i} is {@code [headerNameStart[i], headerNameEnd[i])}. */
  final ByteBuf headerNames = new ByteBuf(256);
  int[] headerNameStart = new int[16];
  int[] headerNameEnd = new int[16];
  /**
   * The first 8 bytes of each lower-case name as an unsigned big-endian number, padded with zero
   * bytes, so that most comparisons of two names take one comparison of numbers.
   */
  long[] headerNamePrefix = new long[16];
  /** Header values as given; null marks the host entry, whose value comes from the URI. */
  String[] headerValues = new String[16];
  /**
   * Whether each header value is known to be canonical ASCII, so it is copied without the checks a
   * caller's value needs: a value signing wrote itself (the date, a computed payload hash), or one
   * of the payload-hash constants of {@link SigV4Engine}.
   */
  boolean[] headerValueTrusted = new boolean[16];
  /** Header indexes in canonical order, after sorting. */
  int[] headerOrder = new int[16];
  /** Whether the header at each sorted position has the same name as the one before it. */
  boolean[] repeatsPrevious = new boolean[16];
  int headerCount;
  /** The value of the request's first {@code x-amz-content-sha256} header, or null. */
  String contentSha256;
  /** The index in the request of the header {@link #contentSha256} came from, or -1. */
  int contentSha256Index;
  /** How many request headers signing replaces ({@code Authorization} and the like from an earlier signature). */
  int replacedHeaders;

  int[] paramNameStart = new int[16];
  int[] paramNameEnd = new int[16];
  int[] paramValueEnd = new int[16];
  int[] paramOrder = new int[16];
  /** The first 8 bytes of each parameter name, as {@link #headerNamePrefix} stores them for headers. */
  long[] paramNamePrefix = new long[16];
  int paramCount;

  /**
   * The signing key that {@link #innerPad} and {@link #outerBlock} belong to, compared by identity.
   * The pads are the HMAC-SHA256 key XOR 0x36 and XOR 0x5c, padded to the 64-byte block (RFC 2104).
   * The outer block is the outer pad followed by room for the 32-byte inner hash.
   */
  SigningKeyCache.SigningKey padKey;
  final byte[] innerPad = new byte[64];
  final byte[] outerBlock = new byte[96];

  /** The credential and engine of the last key lookup, so a repeat skips the shared cache. */
  WeakReference<AwsCredentials> lastCredential = new WeakReference<>(null);
  SigV4Engine lastEngine;
  SigningKeyCache.SigningKey lastKey;

  /**
   * Parts of the signature that depend only on the engine, credential and date of {@link #lastKey},
   * rebuilt with it: {@code AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=}, the
   * percent-encoded {@code X-Amz-Credential} value, and {@code \nscope\n} of the string to sign.
   */
  final ByteBuf authorizationPrefix = new ByteBuf(128);
  final ByteBuf encodedCredential = new ByteBuf(128);
  final ByteBuf scopeLine = new ByteBuf(64);

  /**
   * The X-Amz-Algorithm, -Credential and -Date parameters of a presigned URL, names and values back
   * to back, with the end of each name and value in {@link #presignBlockEnds}; written for the key
   * and second in {@link #presignBlockKey} and {@link #presignBlockSecond}.
   */
  final ByteBuf presignBlock = new ByteBuf(128);
  final int[] presignBlockEnds = new int[6];
  SigningKeyCache.SigningKey presignBlockKey;
  long presignBlockSecond = Long.MIN_VALUE;

  /**
   * The SigV4 query of the last presigned URL whose request had no query of its own: in canonical
   * order for the canonical request, and in wire order for the URL, ending with {@code
   * X-Amz-Signature=}. Both follow from the signing key, the expiry, the signed header names and
   * the {@code X-Amz-Date} value. Each engine derives its own key object per credential and date, so
   * the key also fixes the session token. {@link #reusePresignQuery} reuses the queries while the
   * first three stay the same and rewrites the date in place. A session token they contain stays in
   * these buffers, as it does in {@link #params} and {@link #output}.
   */
  final ByteBuf presignCanonicalQuery = new ByteBuf(256);
  final ByteBuf presignUrlQuery = new ByteBuf(256);
  /**
   * Offset of the 16-byte {@code X-Amz-Date} value in both {@link #presignCanonicalQuery} and
   * {@link #presignUrlQuery}.
   */
  private int presignDateAt;
  /** The {@link #signedHeaders} that the presigning query above was written for. */
  final ByteBuf presignQuerySignedHeaders = new ByteBuf(64);
  private SigningKeyCache.SigningKey presignQueryKey;
  private long presignQuerySecond = Long.MIN_VALUE;
  private long presignQueryExpiry;
  /** Start and end offsets of the last canonical request's query in {@link #canonical}. */
  int canonicalQueryStart;
  int canonicalQueryEnd;
  /** Offset of the SigV4 parameters of the last presigned URL in {@link #output}. */
  int addedParamsStart;

  /** The last path the canonical path was written from, if it is all ASCII; otherwise null. */
  String asciiPath;

  private SignableRequest.Header cachedDateHeader;
  private long cachedEpochSecond = Long.MIN_VALUE;
  private String cachedAmzDate;
  private String cachedDateStamp;
  /** The ASCII bytes of the last {@link #amzDate} value. */
  final byte[] amzDateBytes = new byte[16];

  /**
   * The key and second that the start of {@link #stringToSign} was written for: the inner pad, the
   * algorithm line, the date and the scope line depend on nothing else, so while both are the same
   * only the hash of the canonical request is written per signature.
   */
  SigningKeyCache.SigningKey stringToSignKey;
  long stringToSignSecond = Long.MIN_VALUE;
  int stringToSignPrefix;

  static SigningWorkspace current() {
    return CURRENT.get();
  }

  /** Returns the time as {@code yyyyMMdd'T'HHmmss'Z'}, reusing the string while the second is the same. */
  String amzDate(long epochSecond) {
    if (epochSecond != cachedEpochSecond) {
      LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
      char[] text = new char[16];
      writeDigits(text, 0, time.getYear(), 4);
      writeDigits(text, 4, time.getMonthValue(), 2);
      writeDigits(text, 6, time.getDayOfMonth(), 2);
      text[8] = 'T';
      writeDigits(text, 9, time.getHour(), 2);
      writeDigits(text, 11, time.getMinute(), 2);
      writeDigits(text, 13, time.getSecond(), 2);
      text[15] = 'Z';
      for (int i = 0; i < 16; i++) {
        amzDateBytes[i] = (byte) text[i];
      }
      cachedAmzDate = new String(text);
      cachedDateStamp = cachedAmzDate.substring(0, 8);
      cachedEpochSecond = epochSecond;
    }
    return cachedAmzDate;
  }

  /** Returns an {@code X-Amz-Date} header with this value, reusing the last one while the value is the same. */
  SignableRequest.Header amzDateHeader(String amzDate) {
    SignableRequest.Header header = cachedDateHeader;
    if (header == null || !header.value().equals(amzDate)) {
      header = new SignableRequest.Header(SigV4Engine.AMZ_DATE, amzDate);
      cachedDateHeader = header;
    }
    return header;
  }

  /** Returns the epoch second of the last {@link #amzDate} call. */
  long amzDateSecond() {
    return cachedEpochSecond;
  }

  /** Returns the {@code yyyyMMdd} date of the last {@link #amzDate} call. */
  String dateStamp() {
    return cachedDateStamp;
  }

  void clearHeaders() {
    headerNames.reset();
    headerCount = 0;
    contentSha256 = null;
    contentSha256Index = -1;
    replacedHeaders = 0;
    layoutKind = 0;
  }

  /*
   * The header layout: what collecting, sorting and naming the signed headers produced for the
   * last request, kept so that the next request with the same header names skips that work. Most
   * requests a program sends carry header names that are String constants, so the same objects
   * come back, and comparing them by reference is exact because Strings are immutable. Everything
   * else in the layout (lower-case names, order, SignedHeaders) follows from the names and from
   * layoutKind: presigning, or header signing with the flags of the headers it adds.
   */
  /** The kind of request the layout was built for, or 0 when there is none or one is being built. */
  private int layoutKind;
  private String[] layoutNames = new String[16];
  private int layoutRequestHeaders;
  /** For each request header, its index among the collected headers, or -1 if it is not signed. */
  private int[] requestHeaderSlot = new int[16];
  /** Indexes of the headers signing adds: X-Amz-Date, x-amz-content-sha256, X-Amz-Security-Token. */
  int addedDateSlot;
  int addedHashSlot;
  int addedTokenSlot;

  /** Returns the array that maps request headers to collected headers, with room for {@code count}. */
  int[] requestHeaderSlots(int count) {
    if (requestHeaderSlot.length < count) {
      requestHeaderSlot = new int[Math.max(count, 2 * requestHeaderSlot.length)];
    }
    return requestHeaderSlot;
  }

  /** Records the layout just built for these headers; see {@link #reuseHeaderLayout}. */
  void recordHeaderLayout(List<SignableRequest.Header> headers, int kind) {
    int count = headers.size();
    if (layoutNames.length < count) {
      layoutNames = new String[Math.max(count, 2 * layoutNames.length)];
    }
    for (int i = 0; i < count; i++) {
      layoutNames[i] = headers.get(i).name();
    }
    layoutRequestHeaders = count;
    layoutKind = kind;
  }

  /**
   * Returns whether the last layout applies to these headers (the same kind, and the same name
   * objects in the same order), and if so puts their values in place of the last ones.
   */
  boolean reuseHeaderLayout(List<SignableRequest.Header> headers, int kind) {
    int count = headers.size();
    if (kind != layoutKind || count != layoutRequestHeaders) {
      return false;
    }
    String[] names = layoutNames;
    for (int i = 0; i < count; i++) {
      if (headers.get(i).name() != names[i]) {
        return false;
      }
    }
    int[] slots = requestHeaderSlot;
    for (int i = 0; i < count; i++) {
      int slot = slots[i];
      if (slot >= 0) {
        String value = headers.get(i).value();
        headerValues[slot] = value;
        headerValueTrusted[slot] = SigV4Engine.isPayloadHashConstant(value);
      }
    }
    contentSha256 = contentSha256Index >= 0 ? headers.get(contentSha256Index).value() : null;
    return true;
  }

  /** Puts the values of the headers signing adds in place, for a reused layout; null for one not added. */
  void setAddedValues(String amzDate, String payloadHash, String token) {
    headerValues[addedDateSlot] = amzDate;
    if (payloadHash != null) {
      headerValues[addedHashSlot] = payloadHash;
    }
    if (token != null) {
      headerValues[addedTokenSlot] = token;
    }
  }

  /** Records a header whose lower-case name is {@code [nameStart, nameEnd)} of {@link #headerNames}. */
  void addHeader(int nameStart, int nameEnd, String value, boolean trusted) {
    if (headerCount == headerNameStart.length) {
      int size = headerCount * 2;
      headerNameStart = Arrays.copyOf(headerNameStart, size);
      headerNameEnd = Arrays.copyOf(headerNameEnd, size);
      headerNamePrefix = Arrays.copyOf(headerNamePrefix, size);
      headerValues = Arrays.copyOf(headerValues, size);
      headerValueTrusted = Arrays.copyOf(headerValueTrusted, size);
      headerOrder = Arrays.copyOf(headerOrder, size);
      repeatsPrevious = Arrays.copyOf(repeatsPrevious, size);
    }
    headerNameStart[headerCount] = nameStart;
    headerNameEnd[headerCount] = nameEnd;
    headerNamePrefix[headerCount] = prefixOf(headerNames.array(), nameStart, nameEnd);
    headerValues[headerCount] = value;
    headerValueTrusted[headerCount] = trusted;
    headerCount++;
  }

  /**
   * Returns whether {@link #presignCanonicalQuery} and {@link #presignUrlQuery} were written for
   * this signing key, expiry and the current {@link #signedHeaders}. If so, and they were written in
   * another second, their {@code X-Amz-Date} value is replaced by that of the last {@link #amzDate}
   * call. A new date comes with a new signing key, so only the time of day can differ.
   */
  boolean reusePresignQuery(SigningKeyCache.SigningKey key, long expirySeconds) {
    if (presignQueryKey != key || presignQueryExpiry != expirySeconds
        || !Arrays.equals(signedHeaders.array(), 0, signedHeaders.length(),
            presignQuerySignedHeaders.array(), 0, presignQuerySignedHeaders.length())) {
      return false;
    }
    if (presignQuerySecond != cachedEpochSecond) {
      System.arraycopy(amzDateBytes, 0, presignCanonicalQuery.array(), presignDateAt, 16);
      System.arraycopy(amzDateBytes, 0, presignUrlQuery.array(), presignDateAt, 16);
      presignQuerySecond = cachedEpochSecond;
    }
    return true;
  }

  /**
   * Keeps the SigV4 query just written for a request without a query of its own: the canonical
   * query from {@link #canonical}, and the URL's from {@code url[urlQueryStart, urlQueryEnd)}.
   *
   * <p>Both queries start with {@code X-Amz-Algorithm}, {@code -Credential} and {@code -Date}, the
   * first three in sorted order and the first three written, so the date value is where {@link
   * #presignBlock} puts it, plus the two {@code =} and two {@code &} between the first three
   * parameters and the {@code =} of the date. The query is not kept if the date is not found there.
   */
  void recordPresignQuery(SigningKeyCache.SigningKey key, long expirySeconds, ByteBuf url, int urlQueryStart,
      int urlQueryEnd) {
    int dateAt = presignBlockEnds[4] + 5;
    if (!isAmzDateAt(canonical, canonicalQueryStart + dateAt) || !isAmzDateAt(url, urlQueryStart + dateAt)) {
      presignQueryKey = null;
      return;
    }
    presignCanonicalQuery.reset();
    presignCanonicalQuery.append(canonical.array(), canonicalQueryStart, canonicalQueryEnd);
    presignUrlQuery.reset();
    presignUrlQuery.append(url.array(), urlQueryStart, urlQueryEnd);
    presignDateAt = dateAt;
    presignQuerySignedHeaders.reset();
    presignQuerySignedHeaders.append(signedHeaders.array(), 0, signedHeaders.length());
    presignQueryKey = key;
    presignQuerySecond = cachedEpochSecond;
    presignQueryExpiry = expirySeconds;
  }

  /**
   * Returns whether {@code X-Amz-Date=} ends at {@code valueAt} and is followed by the value of the
   * last {@link #amzDate} call.
   */
  private boolean isAmzDateAt(ByteBuf buffer, int valueAt) {
    int nameAt = valueAt - DATE_PARAMETER.length;
    return nameAt >= 0 && valueAt + 16 <= buffer.length()
        && Arrays.equals(buffer.array(), nameAt, valueAt, DATE_PARAMETER, 0, DATE_PARAMETER.length)
        && Arrays.equals(buffer.array(), valueAt, valueAt + 16, amzDateBytes, 0, 16);
  }

  /** Forgets the presigning query, so that the next presigned URL builds it again. Tests use it. */
  void forgetPresignQuery() {
    presignQueryKey = null;
  }

  void clearParams() {
    params.reset();
    paramCount = 0;
  }

  /** Records a parameter whose name is {@code [nameStart, nameEnd)} and value {@code [nameEnd, valueEnd)} of {@link #params}. */
  void addParam(int nameStart, int nameEnd, int valueEnd) {
    if (paramCount == paramNameStart.length) {
      int size = paramCount * 2;
      paramNameStart = Arrays.copyOf(paramNameStart, size);
      paramNameEnd = Arrays.copyOf(paramNameEnd, size);
      paramValueEnd = Arrays.copyOf(paramValueEnd, size);
      paramOrder = Arrays.copyOf(paramOrder, size);
      paramNamePrefix = Arrays.copyOf(paramNamePrefix, size);
    }
    paramNamePrefix[paramCount] = prefixOf(params.array(), nameStart, nameEnd);
    paramNameStart[paramCount] = nameStart;
    paramNameEnd[paramCount] = nameEnd;
    paramValueEnd[paramCount] = valueEnd;
    paramCount++;
  }

  /**
   * Returns the first 8 bytes of {@code bytes[from, to)} as an unsigned big-endian number, padded
   * with zero bytes when the region is shorter. Two regions whose numbers differ compare as
   * unsigned bytes the way the numbers compare unsigned; equal numbers decide nothing.
   */
  private static long prefixOf(byte[] bytes, int from, int to) {
    int prefixEnd = Math.min(to, from + 8);
    long prefix = 0;
    for (int i = from; i < prefixEnd; i++) {
      prefix = prefix << 8 | (bytes[i] & 0xFF);
    }
    int missing = 8 - (prefixEnd - from);
    return missing == 0 ? prefix : prefix << (8 * missing);
  }

  private static void writeDigits(char[] text, int offset, int value, int width) {
    for (int i = offset + width - 1; i >= offset; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
