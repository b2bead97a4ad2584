package dev.latchkey.s3;

import dev.latchkey.audit.Redactor;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.s3.internal.HttpDates;
import dev.latchkey.s3.internal.S3Transport;
import dev.latchkey.s3.internal.S3UserMetadata;
import dev.latchkey.s3.internal.S3Uploads;
import dev.latchkey.s3.internal.S3Xml;
import dev.latchkey.s3.internal.UriEncoding;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ByteRange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.StorageBackend;
import dev.latchkey.storage.StorageBackendFactory;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The S3 protocol on OkHttp: get, put, delete, head, list and presign against Amazon S3 or an
 * S3-compatible store, signed with SigV4.
 *
 * <p>Object keys are percent-encoded with the SigV4 rules, so the path on the wire is the path that
 * was signed. Keys with spaces, {@code +}, {@code %} and non-ASCII characters are sent
 * percent-encoded. In keys with {@code //}, a leading or trailing slash, or a {@code .} or {@code ..}
 * segment (such as {@code a/../b}), the slash next to that segment is sent as {@code %2F}, so that
 * no client, proxy or server merges slashes or resolves dot segments. The keys {@code .} and {@code
 * ..} alone are rejected before any request, because every URL parser resolves them.
 *
 * <p>Uploads: a body up to {@link Builder#chunkedUploadThreshold} is read into memory and signed
 * with its SHA-256; a longer body of known length is streamed with chunked signing ({@code
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD}); from {@link Builder#multipartThreshold}, and for bodies of
 * unknown length, a multipart upload sends parts of {@link Builder#partSize} held in memory, and is
 * aborted if any step fails. An upload never returns while bytes are missing: a stream that ends
 * early or runs long fails the upload before it is committed.
 *
 * <p>Errors become {@link StorageException} with the S3 error code, message and request id. Clock
 * skew and expired session tokens are retried once (see {@code S3Transport}). Thread-safe.
 */
public final class S3Backend implements StorageBackend {

  private static final String USER_METADATA_PREFIX = "x-amz-meta-";

  /** The last {@code Last-Modified} value parsed, shared by all backends (see {@link #parseHttpDate}). */
  private static volatile ParsedDate lastModified;

  /** The placement of the bucket name in a request URL. */
  public enum Addressing {
    /** {@code https://endpoint/bucket/key}: for custom endpoints and S3-compatible stores. */
    PATH_STYLE,
    /** {@code https://bucket.endpoint/key}: the form Amazon S3 prefers. */
    VIRTUAL_HOSTED
  }

  private final URI endpoint;
  private final Addressing addressing;
  private final CredentialProvider<AwsCredentials> credentials;
  private final SigV4Presigner presigner;
  private final S3Transport transport;
  private final S3Uploads uploads;
  private volatile BucketOrigin lastBucketOrigin;

  /**
   * The last request for a whole object, without a query or extra headers. A repeated get, head or
   * delete of that object reuses it, and the transport reuses the signature of a request object it
   * sent in the same second with the same keys.
   */
  private volatile ObjectRequest lastObjectRequest;

  private S3Backend(Builder builder) {
    this.endpoint = builder.endpoint;
    this.addressing = builder.addressing;
    this.credentials = builder.credentials;
    SigV4Signer signer = SigV4Signer.forS3(builder.region);
    this.presigner = SigV4Presigner.builder().signer(signer).clock(builder.clock).clockSkew(builder.clockSkew).build();
    this.transport = new S3Transport(builder.httpClient, signer, credentials, builder.clockSkew, builder.clock);
    this.uploads = new S3Uploads(transport, builder.chunkedUploadThreshold, builder.multipartThreshold,
        builder.partSize, builder.chunkSize);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a factory for {@code StorageClient.builder().backend(...)}, which passes the client
   * builder's endpoint, region, credentials, HTTP client, clock and clock-skew estimate to this
   * backend. The credentials must supply {@link AwsCredentials}; path-style addressing is used for a
   * custom endpoint.
   */
  @SuppressWarnings("unchecked")
  public static StorageBackendFactory factory() {
    return settings -> {
      Builder builder = builder()
          .credentials((CredentialProvider<AwsCredentials>) settings.credentials())
          .httpClient(settings.httpClient())
          .clock(settings.clock())
          .clockSkew(settings.clockSkew());
      if (settings.endpoint() != null) {
        builder.endpoint(settings.endpoint());
      }
      if (settings.region() != null) {
        builder.region(settings.region());
      }
      return builder.build();
    };
  }

  @Override
  public String scheme() {
    return "s3";
  }

  /** Returns {@code listener}, or {@link ExchangeListener#NONE} for {@code null}. */
  private static ExchangeListener listenerOrNone(ExchangeListener listener) {
    return listener == null ? ExchangeListener.NONE : listener;
  }

  @Override
  public String containerResource(String container) {
    return "s3://" + container;
  }

  @Override
  public ObjectContent get(ObjectRef ref, ByteRange range, ExchangeListener listener) {
    SignableRequest request = objectRequest("GET", ref);
    if (range != null) {
      request = request.toBuilder().addHeader("Range", range.toHeaderValue()).build();
    }
    Response response = transport.execute(request, S3Transport.bytes(null), listenerOrNone(listener));
    return new ObjectContent(metadata(ref, response), response.body().byteStream());
  }

  @Override
  public ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType, ExchangeListener listener) {
    Objects.requireNonNull(body, "body");
    return put(PutRequest.of(ref, body, contentType), listener);
  }

  /**
   * Uploads an object with its user metadata as signed {@code x-amz-meta-NAME} headers: on the PUT,
   * or on CreateMultipartUpload for a multipart upload. S3 stores names in lower case.
   *
   * @throws IllegalArgumentException before any request, if a metadata name is not an HTTP token
   *     (ASCII letters, digits and {@code !#$%&'*+-.^_`|~}) or names and values together take more
   *     than 2 KB (2,048 bytes), the S3 limit
   */
  @Override
  public ObjectMetadata put(PutRequest request, ExchangeListener listener) {
    Objects.requireNonNull(request, "request");
    S3UserMetadata.check(request.ref(), request.userMetadata());
    URI uri = objectUri(request.ref(), null);
    String type = request.contentType() == null ? "application/octet-stream" : request.contentType();
    return uploads.put(request.ref(), uri, request.body(), type, request.userMetadata(), listenerOrNone(listener));
  }

  @Override
  public void delete(ObjectRef ref, ExchangeListener listener) {
    SignableRequest request = objectRequest("DELETE", ref);
    transport.execute(request, S3Transport.bytes(null), listenerOrNone(listener)).close();
  }

  @Override
  public ObjectMetadata head(ObjectRef ref, ExchangeListener listener) {
    SignableRequest request = objectRequest("HEAD", ref);
    try (Response response = transport.execute(request, S3Transport.bytes(null), listenerOrNone(listener))) {
      return metadata(ref, response);
    }
  }

  @Override
  public ListPage list(ListRequest request, ExchangeListener listener) {
    // encoding-type=url lets the service list keys with characters that XML 1.0 cannot carry, such
    // as U+0001; without it such a key breaks the whole page.
    StringBuilder query = new StringBuilder("list-type=2&encoding-type=url&max-keys=").append(request.maxResults());
    appendParam(query, "prefix", request.prefix().isEmpty() ? null : request.prefix());
    appendParam(query, "delimiter", request.delimiter());
    appendParam(query, "continuation-token", request.continuationToken());
    URI uri = bucketUri(request.container(), query.toString());
    SignableRequest get = SignableRequest.builder("GET", uri).build();
    try (Response response = transport.execute(get, S3Transport.bytes(null), listenerOrNone(listener));
        InputStream in = response.body().byteStream()) {
      return S3Xml.parseListV2(S3Xml.readBounded(in, S3Xml.MAX_DOCUMENT_BYTES)).page();
    } catch (IOException e) {
      throw new StorageException("Failed to read the listing of bucket '" + request.container() + "': "
          + e.getMessage(), 200, null, null, e, true);
    }
  }

  /**
   * Returns a presigned GET or PUT URL. The signing time is the estimated server time, and the expiry
   * is capped at the expiry of the current credential.
   */
  @Override
  public URI presign(PresignRequest request) {
    SignableRequest unsigned = SignableRequest.builder(request.method().name(), objectUri(request.ref(), null)).build();
    return presigner.presign(unsigned, S3Transport.fetchAwsCredentials(credentials), request.expiry()).uri();
  }

  @Override
  public String toString() {
    return "S3Backend[endpoint=" + endpoint + ", addressing=" + addressing + ", credentials=" + credentials.name() + "]";
  }

  // ---- URLs ----

  /** Returns the unsigned request for a whole object, the one made last time if it was the same. */
  private SignableRequest objectRequest(String method, ObjectRef ref) {
    ObjectRequest last = lastObjectRequest;
    if (last != null && last.method().equals(method) && last.key().equals(ref.key())
        && last.bucket().equals(ref.container())) {
      return last.request();
    }
    SignableRequest request = SignableRequest.builder(method, objectUri(ref, null)).build();
    lastObjectRequest = new ObjectRequest(method, ref.container(), ref.key(), request);
    return request;
  }

  /** A request for a whole object, by method, bucket and key. */
  private record ObjectRequest(String method, String bucket, String key, SignableRequest request) {}

  private URI objectUri(ObjectRef ref, String rawQuery) {
    requireBucket(ref.container());
    requireSendableKey(ref);
    String path = "/" + UriEncoding.encodeObjectKey(ref.key());
    return uri(ref.container(), path, rawQuery);
  }

  private URI bucketUri(String bucket, String rawQuery) {
    requireBucket(bucket);
    return uri(bucket, "/", rawQuery);
  }

  /**
   * Returns the request URI. Only the path and query are parsed, and they are resolved against an
   * origin parsed earlier, which copies its scheme, host and port. Parsing the whole URL took about
   * a tenth of the client's CPU time in a profile of the StorageClient benchmark's {@code get}, most
   * of it in the host and port. The path always starts with one slash ({@code encodeObjectKey} sends a
   * leading slash of the key as {@code %2F}), so it cannot be read as an authority, and {@link
   * URI#resolve} keeps an absolute path as it is, dot segments included.
   */
  private URI uri(String bucket, String path, String rawQuery) {
    String pathAndQuery;
    URI base;
    if (addressing == Addressing.VIRTUAL_HOSTED) {
      pathAndQuery = rawQuery == null ? path : path + "?" + rawQuery;
      base = bucketOrigin(bucket);
    } else {
      String bucketPath = path.equals("/") ? "/" + bucket : "/" + bucket + path;
      pathAndQuery = rawQuery == null ? bucketPath : bucketPath + "?" + rawQuery;
      base = endpoint;
    }
    return base.resolve(URI.create(pathAndQuery));
  }

  /**
   * Returns the origin of a virtual-hosted bucket, such as {@code https://bucket.s3.amazonaws.com}.
   * Only the last bucket's origin is kept, which covers a client that reads one bucket.
   */
  private URI bucketOrigin(String bucket) {
    BucketOrigin last = lastBucketOrigin;
    if (last == null || !last.bucket().equals(bucket)) {
      String port = endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort();
      last = new BucketOrigin(bucket, URI.create(endpoint.getScheme() + "://" + bucket + "." + endpoint.getHost() + port));
      lastBucketOrigin = last;
    }
    return last.origin();
  }

  /** A bucket and the origin of its virtual-hosted URLs. */
  private record BucketOrigin(String bucket, URI origin) {}

  private static void appendParam(StringBuilder query, String name, String value) {
    if (value != null) {
      query.append('&').append(name).append('=').append(UriEncoding.encodeQueryComponent(value));
    }
  }

  private void requireBucket(String bucket) {
    boolean valid = addressing == Addressing.VIRTUAL_HOSTED ? isBucketName(bucket) : isLegacyBucketName(bucket);
    if (!valid) {
      throw new IllegalArgumentException("Invalid bucket name '" + bucket
          + "': use 3 to 63 lower-case letters, digits, dots and hyphens"
          + (addressing == Addressing.VIRTUAL_HOSTED ? " (virtual-hosted addressing puts it in a host name)" : ""));
    }
  }

  /**
   * Returns whether {@code bucket} matches {@code [a-z0-9][a-z0-9.-]{1,61}[a-z0-9]}, the S3 naming
   * rules that fit a host name. Checked without a regular expression, because this runs on every
   * request.
   */
  private static boolean isBucketName(String bucket) {
    int length = bucket.length();
    if (length < 3 || length > 63) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = bucket.charAt(i);
      boolean lowerAlphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      boolean inner = i > 0 && i < length - 1;
      if (!lowerAlphanumeric && !(inner && (c == '.' || c == '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns whether {@code bucket} matches {@code [A-Za-z0-9._-]{3,255}}, the legacy naming rules
   * that path-style addressing accepts. At least 3 characters, the minimum of the S3 rules, which
   * also keeps {@code .} and {@code ..} out of the path, where the HTTP client would resolve them
   * and address another bucket.
   */
  private static boolean isLegacyBucketName(String bucket) {
    int length = bucket.length();
    if (length < 3 || length > 255) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = bucket.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * Rejects the keys {@code .} and {@code ..}. URL parsers that follow RFC 3986 resolve such a path
   * segment, and OkHttp does so also when its dots are percent-encoded, so the request would address
   * the bucket.
   */
  private static void requireSendableKey(ObjectRef ref) {
    String key = ref.key();
    if (key.equals(".") || key.equals("..")) {
      throw new IllegalArgumentException("Invalid object key '" + key + "' in bucket '" + ref.container()
          + "': a key that is only '.' or '..' cannot be sent in a URL path, because the HTTP client"
          + " would resolve it and address the bucket; rename the key");
    }
  }

  // ---- responses ----

  /**
   * Reads the object metadata from the response headers in one pass by index, because a lookup by
   * name scans all headers and {@link Headers#names()} builds a sorted set. Of repeated headers, the
   * last value is kept, as {@link Response#header(String)} returns it. User metadata are the {@code
   * x-amz-meta-*} headers by lower-case name without the prefix.
   */
  static ObjectMetadata metadata(ObjectRef ref, Response response) {
    Headers headers = response.headers();
    String etag = null;
    String contentType = null;
    String lastModified = null;
    String contentRange = null;
    String contentLength = null;
    Map<String, String> user = Map.of();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i);
      if (name.equalsIgnoreCase("ETag")) {
        etag = value;
      } else if (name.equalsIgnoreCase("Content-Type")) {
        contentType = value;
      } else if (name.equalsIgnoreCase("Last-Modified")) {
        lastModified = value;
      } else if (name.equalsIgnoreCase("Content-Range")) {
        contentRange = value;
      } else if (name.equalsIgnoreCase("Content-Length")) {
        contentLength = value;
      } else if (name.regionMatches(true, 0, USER_METADATA_PREFIX, 0, USER_METADATA_PREFIX.length())) {
        if (user.isEmpty()) {
          user = new HashMap<>();
        }
        user.put(name.substring(USER_METADATA_PREFIX.length()).toLowerCase(Locale.ROOT), value);
      }
    }
    return new ObjectMetadata(ref, contentLength(contentRange, contentLength), etag, contentType,
        parseHttpDate(lastModified), user);
  }

  private static long contentLength(String range, String length) {
    if (range != null && range.contains("/") && !range.endsWith("/*")) {
      return Long.parseLong(range.substring(range.lastIndexOf('/') + 1).trim());
    }
    return length == null ? -1 : Long.parseLong(length.trim());
  }

  /**
   * Parses a {@code Last-Modified} value, or returns {@code null} if it is invalid. The last value
   * parsed is kept, because repeated reads of one object receive the same text.
   */
  private static Instant parseHttpDate(String value) {
    if (value == null) {
      return null;
    }
    ParsedDate last = lastModified;
    if (last != null && last.text().equals(value)) {
      return last.instant();
    }
    try {
      Instant instant = HttpDates.parse(value);
      lastModified = new ParsedDate(value, instant);
      return instant;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** An HTTP date and its instant. */
  private record ParsedDate(String text, Instant instant) {}

  /** Builder for {@link S3Backend}; not thread-safe. */
  public static final class Builder {
    private URI endpoint;
    private String region;
    private Addressing addressing;
    private CredentialProvider<AwsCredentials> credentials;
    private OkHttpClient httpClient;
    private ClockSkew clockSkew = ClockSkew.create();
    private InstantSource clock = InstantSource.system();
    private long chunkedUploadThreshold = 8L * 1024 * 1024;
    private long multipartThreshold = 64L * 1024 * 1024;
    private int partSize = 16 * 1024 * 1024;
    private int chunkSize = 64 * 1024;

    private Builder() {}

    /**
     * Sets the endpoint, such as {@code https://s3.eu-west-1.amazonaws.com} or the URL of an
     * S3-compatible store; default {@code https://s3.REGION.amazonaws.com}. Plain {@code http} is
     * accepted only for loopback addresses.
     *
     * @throws IllegalArgumentException if it is not an absolute http(s) URI with a host and no path,
     *     or if it contains user information, which {@link S3Backend#toString()} and presigned URLs would show
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (endpoint.getRawUserInfo() != null) {
        throw new IllegalArgumentException("Invalid S3 endpoint '" + Redactor.url(endpoint)
            + "': remove the user information from the URI and pass secrets with credentials(...)");
      }
      boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
      boolean http = "http".equalsIgnoreCase(endpoint.getScheme());
      String path = endpoint.getRawPath();
      if ((!https && !http) || endpoint.getHost() == null || (path != null && !path.isEmpty() && !path.equals("/"))
          || endpoint.getRawQuery() != null) {
        throw new IllegalArgumentException("Invalid S3 endpoint '" + Redactor.url(endpoint)
            + "': use an https URI with a host and no path, such as https://s3.eu-west-1.amazonaws.com");
      }
      if (http && !isLoopback(endpoint.getHost())) {
        throw new IllegalArgumentException("Invalid S3 endpoint '" + endpoint
            + "': plain http is accepted only for loopback addresses; use https");
      }
      this.endpoint = URI.create(endpoint.getScheme().toLowerCase(Locale.ROOT) + "://" + endpoint.getRawAuthority());
      return this;
    }

    /** Sets the bucket's region, such as {@code eu-west-1}; required. */
    public Builder region(String region) {
      SigV4Signer.builder().region(region);
      this.region = region;
      return this;
    }

    /** Sets the addressing; default virtual-hosted for Amazon S3 and path-style for a custom endpoint. */
    public Builder addressing(Addressing addressing) {
      this.addressing = Objects.requireNonNull(addressing, "addressing");
      return this;
    }

    /**
     * Sets where credentials come from; required. Pass a {@code CredentialCache} so credentials are
     * reused and refreshed, and so a credential the server rejects as expired is invalidated.
     */
    public Builder credentials(CredentialProvider<AwsCredentials> credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Sets the OkHttp client, shared with the rest of the application; default a new client. The
     * backend uses a derived client that follows no redirects, because a redirect would carry the
     * session token header to whatever host the response names.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the clock-skew estimate shared with other signers; default a new zero estimate. */
    public Builder clockSkew(ClockSkew clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /** Sets the local clock; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the body size in bytes above which a body of known length is streamed with chunked
     * signing. Smaller bodies are read into memory and hashed. Default 8 MiB.
     */
    public Builder chunkedUploadThreshold(long bytes) {
      this.chunkedUploadThreshold = requireRange("chunkedUploadThreshold", bytes, 0, Integer.MAX_VALUE - 8);
      return this;
    }

    /**
     * Sets the body size in bytes from which a multipart upload is used; default 64 MiB, at least 5
     * MiB. It must be above {@link #chunkedUploadThreshold}, 8 MiB by default, so a lower value needs a
     * lower chunked upload threshold as well.
     */
    public Builder multipartThreshold(long bytes) {
      this.multipartThreshold = requireRange("multipartThreshold", bytes, S3Uploads.MIN_PART_SIZE, Long.MAX_VALUE);
      return this;
    }

    /** Sets the size in bytes of each multipart part, held in memory while it is sent; default 16 MiB, 5 MiB to 512 MiB. */
    public Builder partSize(int bytes) {
      this.partSize = (int) requireRange("partSize", bytes, S3Uploads.MIN_PART_SIZE, 512L * 1024 * 1024);
      return this;
    }

    /** Sets the bytes of object data per chunk of a chunked upload; default 64 KiB, at least 8 KiB. */
    public Builder chunkSize(int bytes) {
      this.chunkSize = (int) requireRange("chunkSize", bytes, ChunkedUploadSigner.MIN_CHUNK_SIZE, 16L * 1024 * 1024);
      return this;
    }

    /**
     * Builds the backend.
     *
     * @throws IllegalStateException if the region or the credentials are missing, or the chunked
     *     threshold is not below the multipart threshold
     */
    public S3Backend build() {
      if (region == null) {
        throw new IllegalStateException("S3Backend needs the bucket's region: call region(\"eu-west-1\")");
      }
      if (credentials == null) {
        throw new IllegalStateException("S3Backend needs credentials: call credentials(CredentialCache.builder(provider).build())");
      }
      if (chunkedUploadThreshold >= multipartThreshold) {
        throw new IllegalStateException("Invalid chunkedUploadThreshold " + chunkedUploadThreshold
            + ": it must be below multipartThreshold " + multipartThreshold);
      }
      if (addressing == null) {
        addressing = endpoint == null ? Addressing.VIRTUAL_HOSTED : Addressing.PATH_STYLE;
      }
      if (endpoint == null) {
        endpoint = URI.create("https://s3." + region + ".amazonaws.com");
      }
      OkHttpClient base = httpClient == null ? new OkHttpClient() : httpClient;
      httpClient = base.newBuilder().followRedirects(false).followSslRedirects(false).build();
      return new S3Backend(this);
    }

    private static long requireRange(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException("Invalid " + option + " " + value + ": use " + min + " to " + max + " bytes");
      }
      return value;
    }

    private static boolean isLoopback(String host) {
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (bare.equalsIgnoreCase("localhost")) {
        return true;
      }
      if (!bare.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
        return false;
      }
      try {
        return InetAddress.getByName(bare).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
