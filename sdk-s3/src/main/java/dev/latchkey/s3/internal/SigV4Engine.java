package dev.latchkey.s3.internal;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 algorithm: canonical request, string to sign and signature, for header signing and
 * presigned URLs.
 *
 * <p><b>Why it is written this way.</b> Signing sits on the path of every storage request, so this
 * class builds the canonical request as bytes in per-thread buffers ({@link SigningWorkspace}), sorts
 * headers and query parameters in reused arrays, and reuses one SHA-256 instance per thread for both
 * the hash and the HMAC. Header names are lower-cased once, into bytes, and sorted and compared as
 * bytes. The parts that depend only on the credential and date (the start of the {@code
 * Authorization} value, the credential scope) are written once per credential and date, and those
 * that also depend on the second (the start of the string to sign, the first presigning
 * parameters) once per second. When a request carries the same header name objects as the last one
 * on the thread, the sorted names and {@code SignedHeaders} are reused. A presigned URL whose
 * request has no query of its own reuses the SigV4 query of the last one, with the date rewritten.
 * A version built from Strings and Lists reads shorter but allocates several kilobytes per
 * signature. The methods that run per signature are longer than the project's usual 15 lines.
 * Splitting them further would pass half a dozen buffers around, so each step is marked with a
 * comment.
 *
 * <p>Thread-safe: instances are immutable, and all scratch state is per thread.
 */
public final class SigV4Engine {

  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  public static final String STREAMING_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

  static final String CONTENT_SHA256 = "x-amz-content-sha256";
  static final String AMZ_DATE = "X-Amz-Date";
  static final String SECURITY_TOKEN = "X-Amz-Security-Token";
  static final String AUTHORIZATION = "Authorization";

  private static final byte[] ALGORITHM_LINE = ascii(ALGORITHM + "\n");
  /** Offset of the string to sign in {@code ws.stringToSign}, which follows the 64-byte HMAC inner pad. */
  private static final int STRING_TO_SIGN_START = 64;
  private static final byte[] SIGNATURE_PART = ascii(", Signature=");
  private static final byte[] SIGNED_HEADERS_NAME = ascii("X-Amz-SignedHeaders");
  private static final byte[] EXPIRES_NAME = ascii("X-Amz-Expires");

  // Lower-case header names that signing looks for; see headerKind.
  private static final byte[] HOST = ascii("host");
  private static final byte[] LOWER_CONTENT_SHA256 = ascii(CONTENT_SHA256);
  private static final byte[] LOWER_AMZ_DATE = ascii("x-amz-date");
  private static final byte[] LOWER_SECURITY_TOKEN = ascii("x-amz-security-token");
  private static final byte[] LOWER_AUTHORIZATION = ascii("authorization");
  private static final byte[] USER_AGENT = ascii("user-agent");
  private static final byte[] CONNECTION = ascii("connection");
  private static final byte[] EXPECT = ascii("expect");
  private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
  private static final byte[] TRACE_ID = ascii("x-amzn-trace-id");

  /**
   * The treatment of a request header by signing, chosen by its lower-case name. {@code REPLACED}
   * headers are the ones signing writes itself, so values from a previous attempt are dropped.
   * {@code UNSIGNED} headers are those that proxies and HTTP clients may change or drop in transit.
   */
  private enum HeaderKind { SIGNED, HOST, CONTENT_SHA256, REPLACED, UNSIGNED }

  // What a header layout was built for (see SigningWorkspace.reuseHeaderLayout): presigning, or
  // header signing with the flags of the headers it adds.
  private static final int LAYOUT_PRESIGN = 1;
  private static final int LAYOUT_HEADERS = 2;
  private static final int LAYOUT_ADD_HASH = 4;
  private static final int LAYOUT_TOKEN = 8;

  private final String region;
  private final String service;
  private final boolean normalizePath;
  private final boolean doubleEncodePath;
  private final boolean addContentSha256;
  private final boolean signSessionToken;
  private final boolean unsignedPresignPayload;
  private final String scopeSuffix;
  private final SigningKeyCache keys;

  /**
   * Creates an engine.
   *
   * @param normalizePath whether dot segments and repeated slashes are removed from the canonical
   *     path (every service but S3)
   * @param doubleEncodePath whether the path on the wire is percent-encoded once more (every service
   *     but S3). Otherwise the path is used as it is, and only characters not yet encoded are encoded.
   * @param addContentSha256 whether header signing adds {@code x-amz-content-sha256} (S3 requires it)
   * @param signSessionToken whether the session token is covered by the signature; some services
   *     expect it added after signing
   * @param unsignedPresignPayload whether presigned URLs sign {@code UNSIGNED-PAYLOAD} (S3) rather
   *     than the hash of the body
   */
  public SigV4Engine(String region, String service, boolean normalizePath, boolean doubleEncodePath,
      boolean addContentSha256, boolean signSessionToken, boolean unsignedPresignPayload) {
    this.region = region;
    this.service = service;
    this.normalizePath = normalizePath;
    this.doubleEncodePath = doubleEncodePath;
    this.addContentSha256 = addContentSha256;
    this.signSessionToken = signSessionToken;
    this.unsignedPresignPayload = unsignedPresignPayload;
    this.scopeSuffix = "/" + region + "/" + service + "/aws4_request";
    this.keys = new SigningKeyCache(region, service);
  }

  /** Intermediate results of one signature, filled in when a caller passes one: tests and chunked uploads. */
  public static final class Trace {
    public String canonicalRequest;
    public String stringToSign;
    public String signature;
    public String amzDate;
    public String scope;
    public byte[] signingKey;
  }

  /** Signs with an {@code Authorization} header; see {@link #signHeaders(SignableRequest, String, AwsCredentials, Instant, Trace)}. */
  public SignableRequest signHeaders(SignableRequest request, AwsCredentials credentials, Instant time, Trace trace) {
    return signHeaders(request, request.uri().getRawPath(), credentials, time, trace);
  }

  /**
   * Signs with an {@code Authorization} header, treating {@code rawPath} as the path on the wire.
   * Any earlier {@code Authorization}, {@code X-Amz-Date} and {@code X-Amz-Security-Token} headers
   * are replaced, so a request can be signed again for a retry.
   */
  public SignableRequest signHeaders(
      SignableRequest request, String rawPath, AwsCredentials credentials, Instant time, Trace trace) {
    SigningWorkspace ws = SigningWorkspace.current();
    String amzDate = ws.amzDate(time.getEpochSecond());
    SigningKeyCache.SigningKey key = signingKey(ws, credentials, ws.dateStamp());
    SecretValue token = credentials.sessionToken().orElse(null);

    // Headers to sign: the request's own, then the ones signing adds. A caller-provided
    // x-amz-content-sha256 (UNSIGNED-PAYLOAD, streaming) is the payload hash. When the request's
    // header names are the same String objects as the last time, the sorted names are reused.
    boolean signToken = token != null && signSessionToken;
    int layout = LAYOUT_HEADERS | (addContentSha256 ? LAYOUT_ADD_HASH : 0) | (signToken ? LAYOUT_TOKEN : 0);
    boolean reuse = ws.reuseHeaderLayout(request.headers(), layout);
    if (!reuse) {
      collectHeaders(ws, request);
    }
    String providedHash = ws.contentSha256;
    String payloadHash = providedHash != null ? providedHash : hashBody(ws, request);
    boolean addHashHeader = addContentSha256 && providedHash == null;
    if (reuse) {
      ws.setAddedValues(amzDate, addHashHeader ? payloadHash : null, signToken ? token.reveal() : null);
    } else {
      ws.addedDateSlot = addSigningHeader(ws, LOWER_AMZ_DATE, amzDate, true);
      if (addHashHeader) {
        ws.addedHashSlot = addSigningHeader(ws, LOWER_CONTENT_SHA256, payloadHash, true);
      }
      if (signToken) {
        ws.addedTokenSlot = addSigningHeader(ws, LOWER_SECURITY_TOKEN, token.reveal(), false);
      }
      sortHeaders(ws);
      writeSignedHeaders(ws);
      ws.recordHeaderLayout(request.headers(), layout);
    }

    // Canonical request, string to sign, signature.
    ws.clearParams();
    addQueryParams(ws, request.uri().getRawQuery());
    writeCanonicalRequest(ws, request.method(), rawPath, request.uri(), payloadHash, null);
    writeSignature(ws, amzDate, key, trace);

    // Authorization: ALGORITHM Credential=AKID/scope, SignedHeaders=..., Signature=...
    ByteBuf out = ws.output;
    out.reset();
    out.append(ws.authorizationPrefix.array(), 0, ws.authorizationPrefix.length());
    out.append(ws.signedHeaders.array(), 0, ws.signedHeaders.length());
    out.append(SIGNATURE_PART, 0, SIGNATURE_PART.length);
    out.append(ws.stringToSign.array(), signatureStart(ws), ws.stringToSign.length());
    String authorization = out.toAsciiString(0, out.length());

    return withSigningHeaders(ws, request, amzDate, addHashHeader ? payloadHash : null, token, authorization);
  }

  /**
   * Returns the presigned URL of the request: its URI with the SigV4 query parameters appended. The
   * request's headers are signed too, and must be sent as they are.
   *
   * @param expiresSeconds the {@code X-Amz-Expires} value, already validated by the caller
   */
  public String presign(
      SignableRequest request, AwsCredentials credentials, Instant time, long expiresSeconds, Trace trace) {
    return presign(request, request.uri().getRawPath(), credentials, time, expiresSeconds, trace);
  }

  /** Presigns, treating {@code rawPath} as the path on the wire. */
  public String presign(SignableRequest request, String rawPath, AwsCredentials credentials,
      Instant time, long expiresSeconds, Trace trace) {
    SigningWorkspace ws = SigningWorkspace.current();
    String amzDate = ws.amzDate(time.getEpochSecond());
    SigningKeyCache.SigningKey key = signingKey(ws, credentials, ws.dateStamp());
    SecretValue token = credentials.sessionToken().orElse(null);
    String payloadHash = unsignedPresignPayload ? UNSIGNED_PAYLOAD : hashBody(ws, request);

    // Every header the request carries is signed, and must be sent with the URL.
    if (!ws.reuseHeaderLayout(request.headers(), LAYOUT_PRESIGN)) {
      collectHeaders(ws, request);
      sortHeaders(ws);
      writeSignedHeaders(ws);
      ws.recordHeaderLayout(request.headers(), LAYOUT_PRESIGN);
    }

    // A request without a query of its own has only the SigV4 parameters. Their canonical and wire
    // forms are kept from the last such URL, and reused while the key, expiry and signed headers
    // stay the same. Building them again took about a fifth of the time of a presignature
    // (SigV4InterleavedRun in the benchmarks module, 2-core AMD EPYC).
    URI uri = request.uri();
    String rawQuery = uri.getRawQuery();
    boolean ownQuery = rawQuery != null && !rawQuery.isEmpty();
    if (!ownQuery && ws.reusePresignQuery(key, expiresSeconds)) {
      writeCanonicalRequest(ws, request.method(), rawPath, uri, payloadHash, ws.presignCanonicalQuery);
      writeSignature(ws, amzDate, key, trace);
      return presignedUrl(ws, uri, null, -1, null);
    }

    // Canonical query: the request's own parameters, then the SigV4 ones in the order AWS SDKs
    // write them. The SigV4 values go straight into the parameter list in their wire encoding,
    // which is also their canonical form. Building them as Strings and parsing them back cost more
    // than the hashing.
    ws.clearParams();
    addQueryParams(ws, rawQuery);
    int firstAdded = ws.paramCount;
    addPresignParams(ws, key, amzDate, expiresSeconds);
    if (token != null && signSessionToken) {
      addEncodedParam(ws, SECURITY_TOKEN, token.reveal());
    }
    writeCanonicalRequest(ws, request.method(), rawPath, uri, payloadHash, null);
    writeSignature(ws, amzDate, key, trace);

    String unsignedToken = token != null && !signSessionToken ? token.reveal() : null;
    String url = presignedUrl(ws, uri, rawQuery, firstAdded, unsignedToken);
    if (!ownQuery) {
      ByteBuf out = ws.output;
      ws.recordPresignQuery(key, expiresSeconds, out, ws.addedParamsStart, out.length() - 64);
    }
    return url;
  }

  /**
   * Adds X-Amz-Algorithm, -Credential, -Date, -SignedHeaders and -Expires to the parameter list. The
   * first three depend only on the signing key and the second, so they are written once into {@code
   * ws.presignBlock} and copied from there while both stay the same.
   */
  private static void addPresignParams(
      SigningWorkspace ws, SigningKeyCache.SigningKey key, String amzDate, long expiresSeconds) {
    ByteBuf block = ws.presignBlock;
    long second = ws.amzDateSecond();
    if (ws.presignBlockKey != key || ws.presignBlockSecond != second) {
      ws.presignBlockKey = null;
      writePresignBlock(ws, amzDate);
      ws.presignBlockKey = key;
      ws.presignBlockSecond = second;
    }
    ByteBuf params = ws.params;
    int base = params.length();
    params.append(block.array(), 0, block.length());
    int[] ends = ws.presignBlockEnds;
    ws.addParam(base, base + ends[0], base + ends[1]);
    ws.addParam(base + ends[1], base + ends[2], base + ends[3]);
    ws.addParam(base + ends[3], base + ends[4], base + ends[5]);

    int nameStart = params.length();
    params.append(SIGNED_HEADERS_NAME, 0, SIGNED_HEADERS_NAME.length);
    int nameEnd = params.length();
    appendEncodedBytes(params, ws.signedHeaders);
    ws.addParam(nameStart, nameEnd, params.length());

    nameStart = params.length();
    params.append(EXPIRES_NAME, 0, EXPIRES_NAME.length);
    nameEnd = params.length();
    params.appendDecimal(expiresSeconds);
    ws.addParam(nameStart, nameEnd, params.length());
  }

  /**
   * Writes X-Amz-Algorithm, -Credential and -Date, names and values back to back, into {@code
   * ws.presignBlock}, and where each name and value ends into {@code ws.presignBlockEnds}. The
   * algorithm name and the date contain only unreserved characters, so need no encoding.
   */
  private static void writePresignBlock(SigningWorkspace ws, String amzDate) {
    ByteBuf block = ws.presignBlock;
    int[] ends = ws.presignBlockEnds;
    block.reset();
    block.appendAscii("X-Amz-Algorithm");
    ends[0] = block.length();
    block.appendAscii(ALGORITHM);
    ends[1] = block.length();
    block.appendAscii("X-Amz-Credential");
    ends[2] = block.length();
    block.append(ws.encodedCredential.array(), 0, ws.encodedCredential.length());
    ends[3] = block.length();
    block.appendAscii("X-Amz-Date");
    ends[4] = block.length();
    block.appendAscii(amzDate);
    ends[5] = block.length();
  }

  /** Adds a parameter whose name needs no encoding, percent-encoding its value. */
  private static void addEncodedParam(SigningWorkspace ws, String name, String value) {
    ByteBuf params = ws.params;
    int nameStart = params.length();
    params.appendAscii(name);
    int nameEnd = params.length();
    UriEncoding.appendEncoded(params, value, 0, value.length(), false);
    ws.addParam(nameStart, nameEnd, params.length());
  }

  /** Appends the bytes of {@code source} percent-encoded: the signed header names, with {@code ;} as %3B. */
  private static void appendEncodedBytes(ByteBuf out, ByteBuf source) {
    byte[] bytes = source.array();
    for (int i = 0; i < source.length(); i++) {
      int b = bytes[i] & 0xFF;
      if (UriEncoding.isUnreserved(b)) {
        out.append(b);
      } else {
        out.appendPercentEncoded(b);
      }
    }
  }

  /**
   * Returns the request URI without its fragment, with the SigV4 parameters from {@code firstAdded}
   * on, the unsigned session token if any, and the signature appended to its query. A negative
   * {@code firstAdded} takes the parameters and token from {@code ws.presignUrlQuery} instead.
   *
   * <p>The common all-ASCII URI is written into a reused buffer and turned into one String. A URI
   * with other characters, which java.net.URI allows, is joined as Strings so that it is kept
   * exactly.
   */
  private static String presignedUrl(
      SigningWorkspace ws, URI uri, String rawQuery, int firstAdded, String unsignedToken) {
    String authority = uri.getRawAuthority();
    String path = uri.getRawPath();
    boolean hasQuery = rawQuery != null && !rawQuery.isEmpty();
    boolean ascii = isAsciiAuthority(uri, authority) && (path == ws.asciiPath || isAscii(path))
        && (!hasQuery || isAscii(rawQuery));
    ByteBuf out = ws.output;
    out.reset();
    if (ascii) {
      out.appendAscii(uri.getScheme()).appendAscii("://").appendAscii(authority).appendAscii(path).append('?');
      if (hasQuery) {
        out.appendAscii(rawQuery).append('&');
      }
    }
    int addedStart = out.length();
    ws.addedParamsStart = addedStart;
    if (firstAdded < 0) {
      out.append(ws.presignUrlQuery.array(), 0, ws.presignUrlQuery.length());
      out.append(ws.stringToSign.array(), signatureStart(ws), ws.stringToSign.length());
    } else {
      appendAddedParams(ws, out, firstAdded, unsignedToken);
    }
    if (ascii) {
      return out.toAsciiString(0, out.length());
    }
    String added = out.toAsciiString(addedStart, out.length());
    String query = hasQuery ? rawQuery + "&" + added : added;
    return uri.getScheme() + "://" + authority + path + "?" + query;
  }

  /** Appends the SigV4 parameters as they go on the wire, ending with {@code X-Amz-Signature}. */
  private static void appendAddedParams(SigningWorkspace ws, ByteBuf out, int firstAdded, String unsignedToken) {
    byte[] params = ws.params.array();
    int count = ws.paramCount - firstAdded;
    int position = out.length();
    byte[] target = out.reserve(ws.params.length() - ws.paramNameStart[firstAdded] + 2 * count);
    for (int p = firstAdded; p < ws.paramCount; p++) {
      position = copy(params, ws.paramNameStart[p], ws.paramNameEnd[p], target, position);
      target[position++] = '=';
      position = copy(params, ws.paramNameEnd[p], ws.paramValueEnd[p], target, position);
      target[position++] = '&';
    }
    out.setLength(position);
    if (unsignedToken != null) {
      out.appendAscii(SECURITY_TOKEN).append('=');
      UriEncoding.appendEncoded(out, unsignedToken, 0, unsignedToken.length(), false);
      out.append('&');
    }
    out.appendAscii("X-Amz-Signature=").append(ws.stringToSign.array(), signatureStart(ws), ws.stringToSign.length());
  }

  /** Copies {@code source[from, to)} to {@code target} at {@code position} and returns the position after it. */
  private static int copy(byte[] source, int from, int to, byte[] target, int position) {
    System.arraycopy(source, from, target, position, to - from);
    return position + to - from;
  }

  /**
   * Returns whether the authority is ASCII. A server-based authority without user information is
   * a host name or IP address literal and a port, which {@link URI} accepts only in ASCII, so only
   * other authorities are checked character by character.
   */
  private static boolean isAsciiAuthority(URI uri, String authority) {
    return (uri.getHost() != null && uri.getRawUserInfo() == null) || isAscii(authority);
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * Signs one chunk of a {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} upload and returns the chunk
   * signature, from the previous signature (the seed signature for the first chunk) and the hex
   * SHA-256 of the chunk's data.
   */
  public static String chunkSignature(Mac keyedMac, String amzDate, String scope, String previousSignature,
      String chunkHashHex) {
    String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
        + EMPTY_SHA256 + "\n" + chunkHashHex;
    byte[] signature = keyedMac.doFinal(stringToSign.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return java.util.HexFormat.of().formatHex(signature);
  }

  // ---- steps ----

  private static String hashBody(SigningWorkspace ws, SignableRequest request) {
    if (request.bodyLength() <= 0) {
      return EMPTY_SHA256;
    }
    byte[] body = request.body().orElseThrow();
    ws.sha256.update(body);
    digestInto(ws);
    ByteBuf hex = ws.output;
    hex.reset();
    hex.appendHex(ws.digest, 0, 32);
    return hex.toAsciiString(0, 64);
  }

  /**
   * Adds the request's headers that are signed, and a host entry (value null) when it has no Host
   * header, and records the first {@code x-amz-content-sha256} value.
   */
  private static void collectHeaders(SigningWorkspace ws, SignableRequest request) {
    ws.clearHeaders();
    ByteBuf names = ws.headerNames;
    boolean hasHost = false;
    List<Header> headers = request.headers();
    int[] slots = ws.requestHeaderSlots(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      slots[i] = -1;
      Header header = headers.get(i);
      int nameStart = names.length();
      appendLowerCase(names, header.name());
      int nameEnd = names.length();
      HeaderKind kind = headerKind(names.array(), nameStart, nameEnd);
      if (kind == HeaderKind.REPLACED || kind == HeaderKind.UNSIGNED) {
        ws.replacedHeaders += kind == HeaderKind.REPLACED ? 1 : 0;
        names.setLength(nameStart);
        continue;
      }
      hasHost |= kind == HeaderKind.HOST;
      if (kind == HeaderKind.CONTENT_SHA256 && ws.contentSha256 == null) {
        ws.contentSha256 = header.value();
        ws.contentSha256Index = i;
      }
      slots[i] = ws.headerCount;
      ws.addHeader(nameStart, nameEnd, header.value(), isPayloadHashConstant(header.value()));
    }
    if (!hasHost) {
      addSigningHeader(ws, HOST, null, true);
    }
  }

  /**
   * Returns whether the value is, by reference, one of the payload-hash constants of this class,
   * which are canonical. Callers that send {@code x-amz-content-sha256} mostly send one of these (as
   * the chunked upload signer does), and checking the characters of a 64-character value costs
   * about as much as hashing two SHA-256 blocks.
   */
  static boolean isPayloadHashConstant(String value) {
    return value == EMPTY_SHA256 || value == UNSIGNED_PAYLOAD || value == STREAMING_PAYLOAD;
  }

  /**
   * Adds a header that signing itself writes, by its lower-case name, and returns its index. A
   * trusted value is one signing wrote, known to be canonical ASCII.
   */
  private static int addSigningHeader(SigningWorkspace ws, byte[] lowerCaseName, String value, boolean trusted) {
    ByteBuf names = ws.headerNames;
    int nameStart = names.length();
    names.append(lowerCaseName, 0, lowerCaseName.length);
    int slot = ws.headerCount;
    ws.addHeader(nameStart, names.length(), value, trusted);
    return slot;
  }

  /** Classifies a lower-case header name; only these lengths can match a name signing looks for. */
  private static HeaderKind headerKind(byte[] name, int from, int to) {
    switch (to - from) {
      case 4:
        return regionEquals(name, from, to, HOST) ? HeaderKind.HOST : HeaderKind.SIGNED;
      case 6:
        return regionEquals(name, from, to, EXPECT) ? HeaderKind.UNSIGNED : HeaderKind.SIGNED;
      case 10:
        if (regionEquals(name, from, to, LOWER_AMZ_DATE)) {
          return HeaderKind.REPLACED;
        }
        return regionEquals(name, from, to, USER_AGENT) || regionEquals(name, from, to, CONNECTION)
            ? HeaderKind.UNSIGNED : HeaderKind.SIGNED;
      case 13:
        return regionEquals(name, from, to, LOWER_AUTHORIZATION) ? HeaderKind.REPLACED : HeaderKind.SIGNED;
      case 15:
        return regionEquals(name, from, to, TRACE_ID) ? HeaderKind.UNSIGNED : HeaderKind.SIGNED;
      case 17:
        return regionEquals(name, from, to, TRANSFER_ENCODING) ? HeaderKind.UNSIGNED : HeaderKind.SIGNED;
      case 20:
        if (regionEquals(name, from, to, LOWER_CONTENT_SHA256)) {
          return HeaderKind.CONTENT_SHA256;
        }
        return regionEquals(name, from, to, LOWER_SECURITY_TOKEN) ? HeaderKind.REPLACED : HeaderKind.SIGNED;
      default:
        return HeaderKind.SIGNED;
    }
  }

  private static boolean regionEquals(byte[] bytes, int from, int to, byte[] expected) {
    return Arrays.equals(bytes, from, to, expected, 0, expected.length);
  }

  /** Headers that signing writes itself, so earlier values from a previous attempt are dropped. */
  static boolean isReplacedBySigning(String name) {
    int length = name.length();
    if (length != AUTHORIZATION.length() && length != AMZ_DATE.length() && length != SECURITY_TOKEN.length()) {
      return false;
    }
    return name.equalsIgnoreCase(AUTHORIZATION) || name.equalsIgnoreCase(AMZ_DATE)
        || name.equalsIgnoreCase(SECURITY_TOKEN);
  }

  /** Sorts header indexes by lower-case name, keeping the order of repeated names (insertion sort: n is small). */
  private static void sortHeaders(SigningWorkspace ws) {
    int[] order = ws.headerOrder;
    for (int i = 0; i < ws.headerCount; i++) {
      order[i] = i;
    }
    for (int i = 1; i < ws.headerCount; i++) {
      int current = order[i];
      int j = i - 1;
      while (j >= 0 && compareNames(ws, order[j], current) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = current;
    }
  }

  /**
   * Compares the names of headers {@code a} and {@code b} as unsigned bytes. Most names differ in
   * their first 8 bytes, which {@code ws.headerNamePrefix} contains as numbers. Two names with the same
   * prefix are compared byte by byte: names are short, so a plain loop replaces the call to {@link
   * Arrays#compareUnsigned}.
   */
  private static int compareNames(SigningWorkspace ws, int a, int b) {
    long prefixA = ws.headerNamePrefix[a];
    long prefixB = ws.headerNamePrefix[b];
    if (prefixA != prefixB) {
      return Long.compareUnsigned(prefixA, prefixB);
    }
    byte[] names = ws.headerNames.array();
    int startA = ws.headerNameStart[a];
    int startB = ws.headerNameStart[b];
    int lengthA = ws.headerNameEnd[a] - startA;
    int lengthB = ws.headerNameEnd[b] - startB;
    int length = Math.min(lengthA, lengthB);
    for (int i = 0; i < length; i++) {
      int difference = (names[startA + i] & 0xFF) - (names[startB + i] & 0xFF);
      if (difference != 0) {
        return difference;
      }
    }
    return lengthA - lengthB;
  }

  /**
   * Writes the signed header names, each once, and marks in {@code ws.repeatsPrevious} each sorted
   * position whose name repeats the one before it.
   */
  private static void writeSignedHeaders(SigningWorkspace ws) {
    ByteBuf out = ws.signedHeaders;
    out.reset();
    byte[] names = ws.headerNames.array();
    int[] order = ws.headerOrder;
    for (int i = 0; i < ws.headerCount; i++) {
      boolean repeat = i > 0 && compareNames(ws, order[i - 1], order[i]) == 0;
      ws.repeatsPrevious[i] = repeat;
      if (repeat) {
        continue;
      }
      if (i > 0) {
        out.append(';');
      }
      out.append(names, ws.headerNameStart[order[i]], ws.headerNameEnd[order[i]]);
    }
  }

  /**
   * Appends a header name in ASCII lower case. Header names are ASCII tokens (RFC 9110); any other
   * character is written as its low byte.
   */
  private static void appendLowerCase(ByteBuf out, String name) {
    int length = name.length();
    int start = out.length();
    byte[] bytes = out.reserve(length);
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      bytes[start + i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    out.setLength(start + length);
  }

  /** Parses {@code a=1&b&c=} into the workspace's parameter list, in canonical encoding. */
  private static void addQueryParams(SigningWorkspace ws, CharSequence rawQuery) {
    if (rawQuery == null) {
      return;
    }
    int length = rawQuery.length();
    int start = 0;
    while (start < length) {
      int end = indexOf(rawQuery, '&', start, length);
      if (end > start) {
        int equals = indexOf(rawQuery, '=', start, end);
        ByteBuf params = ws.params;
        int nameStart = params.length();
        UriEncoding.appendQueryComponentCanonical(params, rawQuery, start, equals);
        int nameEnd = params.length();
        if (equals < end) {
          UriEncoding.appendQueryComponentCanonical(params, rawQuery, equals + 1, end);
        }
        ws.addParam(nameStart, nameEnd, params.length());
      }
      start = end + 1;
    }
  }

  private static int indexOf(CharSequence text, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  /** Writes the canonical request, taking the query from {@code cachedQuery} unless it is null. */
  private void writeCanonicalRequest(
      SigningWorkspace ws, String method, String rawPath, URI uri, String payloadHash, ByteBuf cachedQuery) {
    ByteBuf out = ws.canonical;
    out.reset();
    out.appendAscii(method).append('\n');
    writeCanonicalPath(ws, out, rawPath);
    out.append('\n');
    ws.canonicalQueryStart = out.length();
    if (cachedQuery != null) {
      out.append(cachedQuery.array(), 0, cachedQuery.length());
    } else {
      writeCanonicalQuery(ws, out);
    }
    ws.canonicalQueryEnd = out.length();
    out.append('\n');
    writeCanonicalHeaders(ws, out, uri);
    out.append('\n');
    out.append(ws.signedHeaders.array(), 0, ws.signedHeaders.length()).append('\n');
    out.appendAscii(payloadHash);
  }

  /**
   * Writes the canonical path, and records the path in {@code ws.asciiPath} when it came out one
   * byte per character, which only ASCII characters do (any other takes at least 6 bytes
   * percent-encoded), so presigning need not scan it again.
   */
  private void writeCanonicalPath(SigningWorkspace ws, ByteBuf out, String rawPath) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    if (normalizePath) {
      path = PathNormalizer.normalize(path);
    }
    int start = out.length();
    if (doubleEncodePath) {
      UriEncoding.appendEncoded(out, path, 0, path.length(), true);
    } else {
      UriEncoding.appendPathKeepingEscapes(out, path);
    }
    ws.asciiPath = out.length() - start == path.length() ? path : null;
  }

  private static void writeCanonicalQuery(SigningWorkspace ws, ByteBuf out) {
    int count = ws.paramCount;
    int[] order = ws.paramOrder;
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = 1; i < count; i++) {
      int current = order[i];
      int j = i - 1;
      while (j >= 0 && compareParams(ws, order[j], current) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = current;
    }
    // The parameters take the bytes of ws.params, plus '=' and '&' for each: room is made once.
    byte[] bytes = ws.params.array();
    int position = out.length();
    byte[] target = out.reserve(ws.params.length() + 2 * count);
    for (int i = 0; i < count; i++) {
      int p = order[i];
      if (i > 0) {
        target[position++] = '&';
      }
      position = copy(bytes, ws.paramNameStart[p], ws.paramNameEnd[p], target, position);
      target[position++] = '=';
      position = copy(bytes, ws.paramNameEnd[p], ws.paramValueEnd[p], target, position);
    }
    out.setLength(position);
  }

  /**
   * Orders parameters by encoded name, then by encoded value, as unsigned bytes. Names that differ
   * in their first 8 bytes, as the SigV4 ones do, are ordered by {@code ws.paramNamePrefix} alone.
   */
  private static int compareParams(SigningWorkspace ws, int a, int b) {
    long prefixA = ws.paramNamePrefix[a];
    long prefixB = ws.paramNamePrefix[b];
    if (prefixA != prefixB) {
      return Long.compareUnsigned(prefixA, prefixB);
    }
    ByteBuf params = ws.params;
    int byName = params.compareRegions(ws.paramNameStart[a], ws.paramNameEnd[a], ws.paramNameStart[b], ws.paramNameEnd[b]);
    if (byName != 0) {
      return byName;
    }
    return params.compareRegions(ws.paramNameEnd[a], ws.paramValueEnd[a], ws.paramNameEnd[b], ws.paramValueEnd[b]);
  }

  /** Writes {@code name:value\n} per header name; values of a repeated name are joined with commas. */
  private static void writeCanonicalHeaders(SigningWorkspace ws, ByteBuf out, URI uri) {
    byte[] names = ws.headerNames.array();
    for (int i = 0; i < ws.headerCount; i++) {
      int header = ws.headerOrder[i];
      if (ws.repeatsPrevious[i]) {
        out.append(',');
      } else {
        if (i > 0) {
          out.append('\n');
        }
        out.append(names, ws.headerNameStart[header], ws.headerNameEnd[header]).append(':');
      }
      String value = ws.headerValues[header];
      // The workspace outlives the request, so it drops values such as a session token once written.
      ws.headerValues[header] = null;
      if (value == null) {
        appendHost(out, uri);
      } else if (ws.headerValueTrusted[header]) {
        out.appendAscii(value);
      } else {
        appendTrimmedValue(out, value);
      }
    }
    out.append('\n');
  }

  /** Writes the Host header value an HTTP client sends: the host, and the port unless it is the scheme's default. */
  private static void appendHost(ByteBuf out, URI uri) {
    out.appendAscii(uri.getHost());
    int port = uri.getPort();
    boolean defaultPort = port == -1
        || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()))
        || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()));
    if (!defaultPort) {
      out.append(':').appendDecimal(port);
    }
  }

  /** Writes a header value without leading and trailing white space, with inner runs collapsed to one space. */
  private static void appendTrimmedValue(ByteBuf out, String value) {
    if (appendIfCanonical(out, value)) {
      return;
    }
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        pendingSpace = started;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      started = true;
      if (c < 0x80) {
        out.append(c);
      } else {
        int codePoint = value.codePointAt(i);
        out.appendUtf8(codePoint);
        i += Character.charCount(codePoint) - 1;
      }
    }
  }

  /**
   * Appends a value that is already canonical (printable ASCII without white space at its ends or
   * runs of it inside) and returns true, or appends nothing and returns false. Almost every value
   * is canonical, and most have no space at all, so that case takes one range check and one copy.
   */
  private static boolean appendIfCanonical(ByteBuf out, String value) {
    if (!out.isInRange(value, 0x21, 0x7E)) {
      int length = value.length();
      if (value.charAt(0) == ' ' || value.charAt(length - 1) == ' ' || !out.isInRange(value, 0x20, 0x7E)
          || value.indexOf("  ") >= 0) {
        return false;
      }
    }
    out.appendAscii(value);
    return true;
  }

  /**
   * Returns the signing key for the credential and date, and when it changes, rewrites the parts of
   * the signature that depend only on the credential and date.
   */
  private SigningKeyCache.SigningKey signingKey(SigningWorkspace ws, AwsCredentials credentials, String dateStamp) {
    SigningKeyCache.SigningKey last = ws.lastKey;
    if (ws.lastEngine == this && ws.lastCredential.get() == credentials && last.dateStamp().equals(dateStamp)) {
      return last;
    }
    SigningKeyCache.SigningKey key = keys.key(credentials, dateStamp, ws.derivationMac);
    writeScopeParts(ws, credentials.accessKeyId(), dateStamp);
    ws.lastEngine = this;
    ws.lastCredential = new WeakReference<>(credentials);
    ws.lastKey = key;
    return key;
  }

  /**
   * Writes {@code AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=}, the percent-encoded
   * {@code X-Amz-Credential} value {@code AKID%2Fscope}, and the scope line of the string to sign.
   */
  private void writeScopeParts(SigningWorkspace ws, String accessKeyId, String dateStamp) {
    ByteBuf authorization = ws.authorizationPrefix;
    authorization.reset();
    authorization.appendAscii(ALGORITHM).appendAscii(" Credential=").appendAscii(accessKeyId);
    authorization.append('/').appendAscii(dateStamp).appendAscii(scopeSuffix).appendAscii(", SignedHeaders=");

    ByteBuf credential = ws.encodedCredential;
    credential.reset();
    UriEncoding.appendEncoded(credential, accessKeyId, 0, accessKeyId.length(), false);
    credential.appendAscii("%2F").appendAscii(dateStamp);
    UriEncoding.appendEncoded(credential, scopeSuffix, 0, scopeSuffix.length(), false);

    ByteBuf scopeLine = ws.scopeLine;
    scopeLine.reset();
    scopeLine.append('\n').appendAscii(dateStamp).appendAscii(scopeSuffix).append('\n');
  }

  /**
   * Hashes the canonical request, writes the string to sign into {@code ws.stringToSign} after the
   * 64-byte HMAC inner pad ({@link #STRING_TO_SIGN_START}), and appends the hex signature after it
   * (see {@link #signatureStart}).
   */
  private void writeSignature(SigningWorkspace ws, String amzDate, SigningKeyCache.SigningKey key, Trace trace) {
    ws.sha256.update(ws.canonical.array(), 0, ws.canonical.length());
    digestInto(ws);

    ByteBuf sts = ws.stringToSign;
    long second = ws.amzDateSecond();
    if (ws.stringToSignKey != key || ws.stringToSignSecond != second) {
      setPads(ws, key);
      sts.reset();
      sts.append(ws.innerPad, 0, STRING_TO_SIGN_START);
      sts.append(ALGORITHM_LINE, 0, ALGORITHM_LINE.length).append(ws.amzDateBytes, 0, 16);
      sts.append(ws.scopeLine.array(), 0, ws.scopeLine.length());
      ws.stringToSignKey = key;
      ws.stringToSignSecond = second;
      ws.stringToSignPrefix = sts.length();
    }
    sts.setLength(ws.stringToSignPrefix);
    sts.appendHex(ws.digest, 0, 32);
    int end = sts.length();

    hmacInto(ws, sts.array(), end);
    sts.appendHex(ws.digest, 0, 32);

    if (trace != null) {
      fillTrace(ws, trace, amzDate, key, end);
    }
  }

  /** Sets the HMAC pads of the workspace to those of {@code key}, unless they already are. */
  private static void setPads(SigningWorkspace ws, SigningKeyCache.SigningKey key) {
    if (ws.padKey == key) {
      return;
    }
    byte[] keyBytes = key.key();
    for (int i = 0; i < 64; i++) {
      byte keyByte = i < keyBytes.length ? keyBytes[i] : 0;
      ws.innerPad[i] = (byte) (keyByte ^ 0x36);
      ws.outerBlock[i] = (byte) (keyByte ^ 0x5c);
    }
    ws.padKey = key;
  }

  /**
   * Writes HMAC-SHA256 under the signing key into {@code ws.digest}, where {@code innerPadAndData[0,
   * length)} is the inner pad followed by the data. It is the RFC 2104 construction on the
   * workspace's SHA-256 instance, {@code H(outerPad || H(innerPad || data))}, and gives the same
   * bytes as {@code Mac("HmacSHA256")}. With each pad already in front of its data, each hash takes
   * one update, and unlike {@link Mac#doFinal(byte[], int)} nothing is allocated.
   */
  private static void hmacInto(SigningWorkspace ws, byte[] innerPadAndData, int length) {
    MessageDigest sha256 = ws.sha256;
    sha256.update(innerPadAndData, 0, length);
    try {
      sha256.digest(ws.outerBlock, 64, 32);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 failed to write its 32-byte digest", e);
    }
    sha256.update(ws.outerBlock, 0, 96);
    digestInto(ws);
  }

  private void fillTrace(SigningWorkspace ws, Trace trace, String amzDate, SigningKeyCache.SigningKey key, int stsEnd) {
    trace.canonicalRequest = ws.canonical.toUtf8String();
    trace.stringToSign = ws.stringToSign.toAsciiString(STRING_TO_SIGN_START, stsEnd);
    trace.signature = ws.stringToSign.toAsciiString(stsEnd, stsEnd + 64);
    trace.amzDate = amzDate;
    trace.scope = key.dateStamp() + scopeSuffix;
    trace.signingKey = key.key().clone();
  }

  /** Returns where the signature starts in {@code ws.stringToSign}: its last 64 characters. */
  private static int signatureStart(SigningWorkspace ws) {
    return ws.stringToSign.length() - 64;
  }

  private static void digestInto(SigningWorkspace ws) {
    try {
      ws.sha256.digest(ws.digest, 0, 32);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 failed to write its 32-byte digest", e);
    }
  }

  /** Returns a new HMAC keyed with the signing key of this engine's scope, for chunk signatures. */
  public Mac newKeyedMac(AwsCredentials credentials, String dateStamp) {
    SigningKeyCache.SigningKey key = keys.key(credentials, dateStamp, SigningKeyCache.newHmacSha256());
    Mac mac = SigningKeyCache.newHmacSha256();
    try {
      mac.init(new SecretKeySpec(key.key(), "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 rejected a derived SigV4 key", e);
    }
    return mac;
  }

  /** Returns the request with the headers signing adds, replacing any that an earlier signature added. */
  private static SignableRequest withSigningHeaders(SigningWorkspace ws, SignableRequest request, String amzDate,
      String addedHash, SecretValue token, String authorization) {
    List<Header> original = request.headers();
    // Most requests carry no header from an earlier signature, which collectHeaders has counted.
    boolean keepAll = ws.replacedHeaders == 0;
    int size = 2 + (addedHash != null ? 1 : 0) + (token != null ? 1 : 0);
    for (int i = 0; i < original.size(); i++) {
      size += keepAll || !isReplacedBySigning(original.get(i).name()) ? 1 : 0;
    }
    Header[] headers = new Header[size];
    int count = 0;
    for (int i = 0; i < original.size(); i++) {
      Header header = original.get(i);
      if (keepAll || !isReplacedBySigning(header.name())) {
        headers[count++] = header;
      }
    }
    headers[count++] = ws.amzDateHeader(amzDate);
    if (addedHash != null) {
      headers[count++] = new Header(CONTENT_SHA256, addedHash);
    }
    if (token != null) {
      headers[count++] = new Header(SECURITY_TOKEN, token.reveal());
    }
    headers[count++] = new Header(AUTHORIZATION, authorization);
    // List.of copies the array once, and withHeaders keeps an immutable list without copying it again.
    return request.withHeaders(List.of(headers));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

}
