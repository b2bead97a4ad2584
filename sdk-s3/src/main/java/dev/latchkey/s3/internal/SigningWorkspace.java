package dev.latchkey.s3.internal;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.signing.SignableRequest;
import java.lang.ref.WeakReference;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
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
  /** Header values as given; null marks the host entry, whose value comes from the URI. */
  String[] headerValues = new String[16];
  /** Header indexes in canonical order, after sorting. */
  int[] headerOrder = new int[16];
  /** Whether the header at each sorted position has the same name as the one before it. */
  boolean[] repeatsPrevious = new boolean[16];
  int headerCount;
  /** The value of the request's first {@code x-amz-content-sha256} header, or null. */
  String contentSha256;
  /** How many request headers signing replaces ({@code Authorization} and the like from an earlier signature). */
  int replacedHeaders;

  int[] paramNameStart = new int[16];
  int[] paramNameEnd = new int[16];
  int[] paramValueEnd = new int[16];
  int[] paramOrder = new int[16];
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

  private SignableRequest.Header cachedDateHeader;
  private long cachedEpochSecond = Long.MIN_VALUE;
  private String cachedAmzDate;
  private String cachedDateStamp;

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

  /** Returns the {@code yyyyMMdd} date of the last {@link #amzDate} call. */
  String dateStamp() {
    return cachedDateStamp;
  }

  void clearHeaders() {
    headerNames.reset();
    headerCount = 0;
    contentSha256 = null;
    replacedHeaders = 0;
  }

  /** Records a header whose lower-case name is {@code [nameStart, nameEnd)} of {@link #headerNames}. */
  void addHeader(int nameStart, int nameEnd, String value) {
    if (headerCount == headerNameStart.length) {
      int size = headerCount * 2;
      headerNameStart = Arrays.copyOf(headerNameStart, size);
      headerNameEnd = Arrays.copyOf(headerNameEnd, size);
      headerValues = Arrays.copyOf(headerValues, size);
      headerOrder = Arrays.copyOf(headerOrder, size);
      repeatsPrevious = Arrays.copyOf(repeatsPrevious, size);
    }
    headerNameStart[headerCount] = nameStart;
    headerNameEnd[headerCount] = nameEnd;
    headerValues[headerCount] = value;
    headerCount++;
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
    }
    paramNameStart[paramCount] = nameStart;
    paramNameEnd[paramCount] = nameEnd;
    paramValueEnd[paramCount] = valueEnd;
    paramCount++;
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
