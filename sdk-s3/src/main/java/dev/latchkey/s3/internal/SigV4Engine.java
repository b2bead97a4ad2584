package dev.latchkey.s3.internal;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.security.InvalidKeyException;
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
 * headers and query parameters in reused arrays, and reuses one SHA-256 and one HMAC instance per
 * thread. A version built from Strings and Lists reads shorter but allocates several kilobytes per
 * signature. The methods that run per signature are longer than the project's usual 15 lines. Splitting
 * them further would pass half a dozen buffers around, so each step is marked with a comment.
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
    SecretValue token = credentials.sessionToken().orElse(null);

    // Payload hash: a caller-provided x-amz-content-sha256 wins (UNSIGNED-PAYLOAD, streaming).
    String providedHash = firstHeader(request, CONTENT_SHA256);
    String payloadHash = providedHash != null ? providedHash : hashBody(ws, request);
    boolean addHashHeader = addContentSha256 && providedHash == null;

    // Headers to sign: the request's own, then the ones signing adds.
    collectHeaders(ws, request);
    ws.addHeader(AMZ_DATE, amzDate);
    if (addHashHeader) {
      ws.addHeader(CONTENT_SHA256, payloadHash);
    }
    if (token != null && signSessionToken) {
      ws.addHeader(SECURITY_TOKEN, token.reveal());
    }
    sortHeaders(ws);
    writeSignedHeaders(ws);

    // Canonical request, string to sign, signature.
    ws.clearParams();
    addQueryParams(ws, request.uri().getRawQuery());
    writeCanonicalRequest(ws, request.method(), rawPath, request.uri(), payloadHash);
    SigningKeyCache.SigningKey key = signingKey(ws, credentials, ws.dateStamp());
    writeSignature(ws, amzDate, key, trace);

    // Authorization: ALGORITHM Credential=AKID/scope, SignedHeaders=..., Signature=...
    ByteBuf out = ws.output;
    out.reset();
    out.appendAscii(ALGORITHM).appendAscii(" Credential=").appendAscii(credentials.accessKeyId());
    out.append('/').appendAscii(ws.dateStamp()).appendAscii(scopeSuffix);
    out.appendAscii(", SignedHeaders=").append(ws.signedHeaders.array(), 0, ws.signedHeaders.length());
    out.appendAscii(", Signature=").append(ws.stringToSign.array(), signatureStart(ws), ws.stringToSign.length());
    String authorization = out.toAsciiString(0, out.length());

    return withSigningHeaders(ws, request, amzDate, addHashHeader ? payloadHash : null, token, authorization);
  }

  /**
   * Returns a presigned copy of the request: the SigV4 query parameters are appended to its URI, and
   * its headers are signed and must be sent as they are.
   *
   * @param expiresSeconds the {@code X-Amz-Expires} value, already validated by the caller
   */
  public SignableRequest presign(
      SignableRequest request, AwsCredentials credentials, Instant time, long expiresSeconds, Trace trace) {
    return presign(request, request.uri().getRawPath(), credentials, time, expiresSeconds, trace);
  }

  /** Presigns, treating {@code rawPath} as the path on the wire. */
  public SignableRequest presign(SignableRequest request, String rawPath, AwsCredentials credentials,
      Instant time, long expiresSeconds, Trace trace) {
    SigningWorkspace ws = SigningWorkspace.current();
    String amzDate = ws.amzDate(time.getEpochSecond());
    SecretValue token = credentials.sessionToken().orElse(null);
    String payloadHash = unsignedPresignPayload ? UNSIGNED_PAYLOAD : hashBody(ws, request);

    // Every header the request carries is signed, and must be sent with the URL.
    collectHeaders(ws, request);
    sortHeaders(ws);
    writeSignedHeaders(ws);

    // Canonical query: the request's own parameters, then the SigV4 ones in the order AWS SDKs
    // write them. The SigV4 values go straight into the parameter list in their wire encoding,
    // which is also their canonical form. Building them as Strings and parsing them back cost more
    // than the hashing.
    URI uri = request.uri();
    String rawQuery = uri.getRawQuery();
    ws.clearParams();
    addQueryParams(ws, rawQuery);
    int firstAdded = ws.paramCount;
    addPresignParams(ws, credentials, amzDate, expiresSeconds);
    if (token != null && signSessionToken) {
      addEncodedParam(ws, SECURITY_TOKEN, token.reveal());
    }
    writeCanonicalRequest(ws, request.method(), rawPath, uri, payloadHash);
    SigningKeyCache.SigningKey key = signingKey(ws, credentials, ws.dateStamp());
    writeSignature(ws, amzDate, key, trace);

    String unsignedToken = token != null && !signSessionToken ? token.reveal() : null;
    return request.toBuilder().uri(presignedUri(ws, uri, rawQuery, firstAdded, unsignedToken)).build();
  }

  /** Adds X-Amz-Algorithm, -Credential, -Date, -SignedHeaders and -Expires to the parameter list. */
  private void addPresignParams(SigningWorkspace ws, AwsCredentials credentials, String amzDate, long expiresSeconds) {
    ByteBuf params = ws.params;
    addEncodedParam(ws, "X-Amz-Algorithm", ALGORITHM);

    int nameStart = params.length();
    params.appendAscii("X-Amz-Credential");
    int nameEnd = params.length();
    String accessKeyId = credentials.accessKeyId();
    UriEncoding.appendEncoded(params, accessKeyId, 0, accessKeyId.length(), false);
    params.appendAscii("%2F").appendAscii(ws.dateStamp());
    UriEncoding.appendEncoded(params, scopeSuffix, 0, scopeSuffix.length(), false);
    ws.addParam(nameStart, nameEnd, params.length());

    addEncodedParam(ws, "X-Amz-Date", amzDate);

    nameStart = params.length();
    params.appendAscii("X-Amz-SignedHeaders");
    nameEnd = params.length();
    appendEncodedBytes(params, ws.signedHeaders);
    ws.addParam(nameStart, nameEnd, params.length());

    nameStart = params.length();
    params.appendAscii("X-Amz-Expires");
    nameEnd = params.length();
    params.appendDecimal(expiresSeconds);
    ws.addParam(nameStart, nameEnd, params.length());
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
   * on, the unsigned session token if any, and the signature appended to its query.
   *
   * <p>The common all-ASCII URI is written into a reused buffer and turned into one String, which
   * {@link URI#create} then parses (java.net.URI cannot be built without parsing). A URI with other
   * characters, which java.net.URI allows, is joined as Strings so that it is kept exactly.
   */
  private static URI presignedUri(
      SigningWorkspace ws, URI uri, String rawQuery, int firstAdded, String unsignedToken) {
    String authority = uri.getRawAuthority();
    String path = uri.getRawPath();
    boolean hasQuery = rawQuery != null && !rawQuery.isEmpty();
    boolean ascii = isAscii(authority) && isAscii(path) && (!hasQuery || isAscii(rawQuery));
    ByteBuf out = ws.output;
    out.reset();
    if (ascii) {
      out.appendAscii(uri.getScheme()).appendAscii("://").appendAscii(authority).appendAscii(path).append('?');
      if (hasQuery) {
        out.appendAscii(rawQuery).append('&');
      }
    }
    int addedStart = out.length();
    appendAddedParams(ws, out, firstAdded, unsignedToken);
    if (ascii) {
      return URI.create(out.toAsciiString(0, out.length()));
    }
    String added = out.toAsciiString(addedStart, out.length());
    String query = hasQuery ? rawQuery + "&" + added : added;
    return URI.create(uri.getScheme() + "://" + authority + path + "?" + query);
  }

  /** Appends the SigV4 parameters as they go on the wire, ending with {@code X-Amz-Signature}. */
  private static void appendAddedParams(SigningWorkspace ws, ByteBuf out, int firstAdded, String unsignedToken) {
    byte[] params = ws.params.array();
    for (int p = firstAdded; p < ws.paramCount; p++) {
      out.append(params, ws.paramNameStart[p], ws.paramNameEnd[p]).append('=');
      out.append(params, ws.paramNameEnd[p], ws.paramValueEnd[p]).append('&');
    }
    if (unsignedToken != null) {
      out.appendAscii(SECURITY_TOKEN).append('=');
      UriEncoding.appendEncoded(out, unsignedToken, 0, unsignedToken.length(), false);
      out.append('&');
    }
    out.appendAscii("X-Amz-Signature=").append(ws.stringToSign.array(), signatureStart(ws), ws.stringToSign.length());
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

  private static String firstHeader(SignableRequest request, String name) {
    List<Header> headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      Header header = headers.get(i);
      if (header.name().equalsIgnoreCase(name)) {
        return header.value();
      }
    }
    return null;
  }

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

  /** Adds the request's headers that are signed, and a host entry (value null) when it has no Host header. */
  private static void collectHeaders(SigningWorkspace ws, SignableRequest request) {
    ws.clearHeaders();
    boolean hasHost = false;
    List<Header> headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      Header header = headers.get(i);
      String name = header.name();
      if (isReplacedBySigning(name) || isNeverSigned(name)) {
        continue;
      }
      hasHost |= name.equalsIgnoreCase("host");
      ws.addHeader(name, header.value());
    }
    if (!hasHost) {
      ws.addHeader("host", null);
    }
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

  /** Headers that proxies and HTTP clients may change or drop in transit, so they are not signed. */
  static boolean isNeverSigned(String name) {
    char first = lowerAscii(name.charAt(0));
    if (first != 'u' && first != 'c' && first != 'e' && first != 't' && first != 'x') {
      return false;
    }
    return name.equalsIgnoreCase("user-agent") || name.equalsIgnoreCase("connection")
        || name.equalsIgnoreCase("expect") || name.equalsIgnoreCase("transfer-encoding")
        || name.equalsIgnoreCase("x-amzn-trace-id");
  }

  /** Sorts headers by lower-case name, keeping the order of repeated names (insertion sort: n is small). */
  private static void sortHeaders(SigningWorkspace ws) {
    String[] names = ws.headerNames;
    String[] values = ws.headerValues;
    for (int i = 1; i < ws.headerCount; i++) {
      String name = names[i];
      String value = values[i];
      int j = i - 1;
      while (j >= 0 && compareIgnoreCase(names[j], name) > 0) {
        names[j + 1] = names[j];
        values[j + 1] = values[j];
        j--;
      }
      names[j + 1] = name;
      values[j + 1] = value;
    }
  }

  private static int compareIgnoreCase(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      int difference = lowerAscii(a.charAt(i)) - lowerAscii(b.charAt(i));
      if (difference != 0) {
        return difference;
      }
    }
    return a.length() - b.length();
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static void writeSignedHeaders(SigningWorkspace ws) {
    ByteBuf out = ws.signedHeaders;
    out.reset();
    for (int i = 0; i < ws.headerCount; i++) {
      if (i > 0 && compareIgnoreCase(ws.headerNames[i - 1], ws.headerNames[i]) == 0) {
        continue;
      }
      if (out.length() > 0) {
        out.append(';');
      }
      appendLowerCase(out, ws.headerNames[i]);
    }
  }

  private static void appendLowerCase(ByteBuf out, String name) {
    if (isLowerCaseAscii(name)) {
      out.appendAscii(name);
      return;
    }
    for (int i = 0; i < name.length(); i++) {
      out.append(lowerAscii(name.charAt(i)));
    }
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

  private void writeCanonicalRequest(
      SigningWorkspace ws, String method, String rawPath, URI uri, String payloadHash) {
    ByteBuf out = ws.canonical;
    out.reset();
    out.appendAscii(method).append('\n');
    writeCanonicalPath(out, rawPath);
    out.append('\n');
    writeCanonicalQuery(ws, out);
    out.append('\n');
    writeCanonicalHeaders(ws, out, uri);
    out.append('\n');
    out.append(ws.signedHeaders.array(), 0, ws.signedHeaders.length()).append('\n');
    out.appendAscii(payloadHash);
  }

  private void writeCanonicalPath(ByteBuf out, String rawPath) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    if (normalizePath) {
      path = PathNormalizer.normalize(path);
    }
    if (doubleEncodePath) {
      UriEncoding.appendEncoded(out, path, 0, path.length(), true);
    } else {
      UriEncoding.appendPathKeepingEscapes(out, path);
    }
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
    byte[] bytes = ws.params.array();
    for (int i = 0; i < count; i++) {
      int p = order[i];
      if (i > 0) {
        out.append('&');
      }
      out.append(bytes, ws.paramNameStart[p], ws.paramNameEnd[p]).append('=');
      out.append(bytes, ws.paramNameEnd[p], ws.paramValueEnd[p]);
    }
  }

  /** Orders parameters by encoded name, then by encoded value, as unsigned bytes. */
  private static int compareParams(SigningWorkspace ws, int a, int b) {
    ByteBuf params = ws.params;
    int byName = params.compareRegions(ws.paramNameStart[a], ws.paramNameEnd[a], ws.paramNameStart[b], ws.paramNameEnd[b]);
    if (byName != 0) {
      return byName;
    }
    return params.compareRegions(ws.paramNameEnd[a], ws.paramValueEnd[a], ws.paramNameEnd[b], ws.paramValueEnd[b]);
  }

  /** Writes {@code name:value\n} per header name; values of a repeated name are joined with commas. */
  private static void writeCanonicalHeaders(SigningWorkspace ws, ByteBuf out, URI uri) {
    for (int i = 0; i < ws.headerCount; i++) {
      boolean repeat = i > 0 && compareIgnoreCase(ws.headerNames[i - 1], ws.headerNames[i]) == 0;
      if (repeat) {
        out.append(',');
      } else {
        if (i > 0) {
          out.append('\n');
        }
        appendLowerCase(out, ws.headerNames[i]);
        out.append(':');
      }
      String value = ws.headerValues[i];
      if (value == null) {
        appendHost(out, uri);
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
    if (isCanonicalValue(value)) {
      out.appendAscii(value);
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

  /** Returns whether a value is printable ASCII without white space at its ends or runs of it inside. */
  private static boolean isCanonicalValue(String value) {
    int length = value.length();
    if (length == 0 || value.charAt(0) == ' ' || value.charAt(length - 1) == ' ') {
      return length == 0;
    }
    char previous = 'x';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7F || (c == ' ' && previous == ' ')) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private static boolean isLowerCaseAscii(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private SigningKeyCache.SigningKey signingKey(SigningWorkspace ws, AwsCredentials credentials, String dateStamp) {
    SigningKeyCache.SigningKey last = ws.lastKey;
    if (ws.lastEngine == this && ws.lastCredential.get() == credentials && last.dateStamp().equals(dateStamp)) {
      return last;
    }
    SigningKeyCache.SigningKey key = keys.key(credentials, dateStamp, ws.derivationMac);
    ws.lastEngine = this;
    ws.lastCredential = new WeakReference<>(credentials);
    ws.lastKey = key;
    return key;
  }

  /**
   * Hashes the canonical request, writes the string to sign into {@code ws.stringToSign} and appends
   * the hex signature after it (see {@link #signatureStart}).
   */
  private void writeSignature(SigningWorkspace ws, String amzDate, SigningKeyCache.SigningKey key, Trace trace) {
    ws.sha256.update(ws.canonical.array(), 0, ws.canonical.length());
    digestInto(ws);

    ByteBuf sts = ws.stringToSign;
    sts.reset();
    sts.appendAscii(ALGORITHM).append('\n').appendAscii(amzDate).append('\n');
    sts.appendAscii(key.dateStamp()).appendAscii(scopeSuffix).append('\n');
    sts.appendHex(ws.digest, 0, 32);
    int stringToSignLength = sts.length();

    Mac mac = keyedMac(ws, key);
    mac.update(sts.array(), 0, stringToSignLength);
    doFinalInto(mac, ws);
    sts.appendHex(ws.digest, 0, 32);

    if (trace != null) {
      fillTrace(ws, trace, amzDate, key, stringToSignLength);
    }
  }

  private void fillTrace(SigningWorkspace ws, Trace trace, String amzDate, SigningKeyCache.SigningKey key, int stsLength) {
    trace.canonicalRequest = ws.canonical.toUtf8String();
    trace.stringToSign = ws.stringToSign.toAsciiString(0, stsLength);
    trace.signature = ws.stringToSign.toAsciiString(stsLength, stsLength + 64);
    trace.amzDate = amzDate;
    trace.scope = key.dateStamp() + scopeSuffix;
    trace.signingKey = key.key().clone();
  }

  /** Returns where the signature starts in {@code ws.stringToSign}: its last 64 characters. */
  private static int signatureStart(SigningWorkspace ws) {
    return ws.stringToSign.length() - 64;
  }

  private static Mac keyedMac(SigningWorkspace ws, SigningKeyCache.SigningKey key) {
    if (ws.macKey != key) {
      try {
        ws.signingMac.init(new SecretKeySpec(key.key(), "HmacSHA256"));
      } catch (InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 rejected a derived SigV4 key", e);
      }
      ws.macKey = key;
    }
    return ws.signingMac;
  }

  private static void digestInto(SigningWorkspace ws) {
    try {
      ws.sha256.digest(ws.digest, 0, 32);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 failed to write its 32-byte digest", e);
    }
  }

  private static void doFinalInto(Mac mac, SigningWorkspace ws) {
    try {
      mac.doFinal(ws.digest, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException("HmacSHA256 failed to write its 32-byte result", e);
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
    int size = 2 + (addedHash != null ? 1 : 0) + (token != null ? 1 : 0);
    for (int i = 0; i < original.size(); i++) {
      size += isReplacedBySigning(original.get(i).name()) ? 0 : 1;
    }
    Header[] headers = new Header[size];
    int count = 0;
    for (int i = 0; i < original.size(); i++) {
      Header header = original.get(i);
      if (!isReplacedBySigning(header.name())) {
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
    return request.withHeaders(Arrays.asList(headers));
  }

}
