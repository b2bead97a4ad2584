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
 * Per-thread scratch space for {@link SigV4Engine}: byte buffers, the SHA-256 and HMAC instances,
 * arrays for sorting headers and query parameters, and the last formatted date.
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
  final Mac signingMac = SigningKeyCache.newHmacSha256();
  final Mac derivationMac = SigningKeyCache.newHmacSha256();

  String[] headerNames = new String[16];
  String[] headerValues = new String[16];
  int headerCount;

  int[] paramNameStart = new int[16];
  int[] paramNameEnd = new int[16];
  int[] paramValueEnd = new int[16];
  int[] paramOrder = new int[16];
  int paramCount;

  /** The signing key {@link #signingMac} was initialized with, compared by identity. */
  SigningKeyCache.SigningKey macKey;

  /** The credential and engine of the last key lookup, so a repeat skips the shared cache. */
  WeakReference<AwsCredentials> lastCredential = new WeakReference<>(null);
  SigV4Engine lastEngine;
  SigningKeyCache.SigningKey lastKey;

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
    headerCount = 0;
  }

  void addHeader(String name, String value) {
    if (headerCount == headerNames.length) {
      headerNames = Arrays.copyOf(headerNames, headerCount * 2);
      headerValues = Arrays.copyOf(headerValues, headerCount * 2);
    }
    headerNames[headerCount] = name;
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
