package dev.latchkey.azure;

import dev.latchkey.azure.internal.AzureErrors;
import dev.latchkey.azure.internal.BlobCall;
import dev.latchkey.azure.internal.BlobEndpoint;
import dev.latchkey.azure.internal.BlobMetadata;
import dev.latchkey.azure.internal.BlobListings;
import dev.latchkey.azure.internal.BlobTransport;
import dev.latchkey.azure.internal.BlockUpload;
import dev.latchkey.azure.internal.ContainerNames;
import dev.latchkey.azure.internal.CredentialSigner;
import dev.latchkey.azure.internal.HttpDates;
import dev.latchkey.azure.internal.PercentCoding;
import dev.latchkey.azure.internal.ServiceVersions;
import dev.latchkey.azure.internal.StreamingBody;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.azure.sas.SasProtocol;
import dev.latchkey.azure.sas.UserDelegationKey;
import dev.latchkey.azure.sas.UserDelegationKeyClient;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.storage.BackendSettings;
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
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azure Blob Storage backend: block blobs over the Blob REST API on OkHttp, with no Azure SDK.
 *
 * <p>Requests are authorized with whatever the credential source returns: an account key (Shared
 * Key), a SAS token, or a Microsoft Entra access token for {@code https://storage.azure.com/.default}
 * (bearer, HTTPS only). A request rejected as unauthenticated is retried once after the credential
 * is invalidated and read again, so a rotated account key takes effect without a restart.
 *
 * <ul>
 *   <li>{@link #get} streams the blob, or a byte range of it;
 *   <li>{@link #put} sends one Put Blob up to the single-put threshold, and Put Block plus Put Block
 *       List above it, so a failed upload commits nothing;
 *   <li>{@link #delete} removes the blob with its snapshots and succeeds if it does not exist;
 *   <li>{@link #head} returns properties and user metadata;
 *   <li>{@link #list} returns one page of List Blobs with prefix, delimiter and marker;
 *   <li>{@link #presign} returns a URL with a service SAS (account key) or a user delegation SAS
 *       (access token). With a SAS token credential it is rejected, unless {@link
 *       Builder#presignWithSasToken()} allows URLs that carry the configured token as it is.
 * </ul>
 *
 * <p>Blob names are percent-encoded byte for byte as UTF-8, so names with spaces, {@code + %} and
 * {@code ! $ & ' ( ) * , : ; = @} or non-ASCII characters round-trip unchanged. Note: Blob Storage
 * itself stores a backslash in a name as a slash, and names with {@code .} or {@code ..} segments are
 * rejected before sending, because URLs lose such segments. Error responses
 * become {@link StorageException}s with the service's error code, message and {@code
 * x-ms-request-id}, and never contain a signature. Thread-safe.
 */
public final class BlobBackend implements StorageBackend {

  private static final Logger logger = LoggerFactory.getLogger(BlobBackend.class);

  /** The block size when none is set: 8 MiB. */
  public static final int DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
  /** The size up to which a put is one Put Blob when none is set: 32 MiB. */
  public static final long DEFAULT_SINGLE_PUT_THRESHOLD = 32L * 1024 * 1024;
  /** The largest block size: 256 MiB, because each block is held in memory while it is sent. */
  public static final int MAX_BLOCK_SIZE = 256 * 1024 * 1024;
  /** The largest single-put threshold: 256 MiB, because a stream up to it is held in memory. */
  public static final long MAX_SINGLE_PUT_THRESHOLD = 256L * 1024 * 1024;

  private static final int MIN_BLOCK_SIZE = 1024;
  /** How far a user delegation key reaches before now and past the SAS it signs. */
  private static final Duration DELEGATION_KEY_MARGIN = Duration.ofMinutes(5);
  private static final int MAX_LIST_BODY_BYTES = 32 * 1024 * 1024;
  private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("bytes \\d+-\\d+/(\\d+)");
  private static final String META_PREFIX = "x-ms-meta-";

  private final BlobEndpoint endpoint;
  private final CredentialProvider<Credential> credentials;
  private final CredentialCache<?> ownedCache;
  private final BlobTransport<Credential> transport;
  private final UserDelegationKeyClient delegationKeys;
  private final InstantSource serverClock;
  private final int blockSize;
  private final long singlePutThreshold;
  private final SasProtocol presignProtocol;
  private final boolean presignWithSasToken;
  private volatile UserDelegationKey lastDelegationKey;

  private BlobBackend(Builder builder, CredentialProvider<Credential> credentials, CredentialCache<?> ownedCache) {
    this.endpoint = builder.endpoint;
    this.credentials = credentials;
    this.ownedCache = ownedCache;
    this.transport = new BlobTransport<>(credentials, new CredentialSigner(builder.serviceVersion),
        builder.httpClient, builder.clock, builder.clockSkew);
    this.serverClock = transport.serverClock();
    this.blockSize = builder.blockSize;
    this.singlePutThreshold = builder.singlePutThreshold;
    this.presignProtocol = endpoint.isPlainHttp() ? SasProtocol.HTTPS_AND_HTTP : SasProtocol.HTTPS_ONLY;
    this.presignWithSasToken = builder.presignWithSasToken;
    this.delegationKeys = endpoint.isPlainHttp() ? null : UserDelegationKeyClient.builder()
        .endpoint(URI.create(endpoint.base())).httpClient(builder.httpClient)
        .serviceVersion(builder.serviceVersion).clock(serverClock).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a factory for {@code StorageClient} builders: it takes the endpoint, credentials, HTTP
   * client, clock and clock skew from the client's settings and the defaults for everything else.
   * A plain {@code http://} endpoint is accepted when its host is a loopback address, as with {@link
   * Builder#allowPlainHttpOnLoopback()}, so an emulator such as Azurite works through the factory.
   * With a SAS token credential, {@link #presign} fails, because the factory does not call {@link
   * Builder#presignWithSasToken()}. To allow it, build the backend and pass it to {@code
   * StorageClient.builder().backend(StorageBackend)}.
   */
  public static StorageBackendFactory factory() {
    return BlobBackend::fromSettings;
  }

  private static BlobBackend fromSettings(BackendSettings settings) {
    if (settings.endpoint() == null) {
      throw new IllegalArgumentException(
          "Missing endpoint for Azure Blob Storage: set it, such as https://account.blob.core.windows.net");
    }
    Builder builder = builder().endpoint(settings.endpoint()).httpClient(settings.httpClient())
        .clock(settings.clock()).clockSkew(settings.clockSkew());
    // The client builder already limits plain HTTP to loopback hosts, and build() checks it again.
    builder.allowPlainHttpOnLoopback();
    builder.anyCredentials = settings.credentials();
    return builder.build();
  }

  @Override
  public String scheme() {
    return "azure";
  }

  /** Returns {@code azure://account/container}. */
  @Override
  public String containerResource(String container) {
    return "azure://" + endpoint.accountName() + "/" + container;
  }

  /** Returns the storage account this backend reaches. */
  public String accountName() {
    return endpoint.accountName();
  }

  @Override
  public ObjectContent get(ObjectRef ref, ByteRange range, ExchangeListener listener) {
    List<String[]> headers = new ArrayList<>();
    headers.add(header("Accept-Encoding", "identity"));
    if (range != null) {
      headers.add(header("x-ms-range", range.toHeaderValue()));
    }
    BlobCall call = new BlobCall("GET", blobUrl(ref, null), headers, null, "GET " + describe(ref));
    Response response = transport.execute(call, listenerOrNone(listener), false);
    try {
      return new ObjectContent(metadata(ref, response), new ResponseStream(response));
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
  }

  /**
   * Uploads a block blob. A body up to the single-put threshold goes in one Put Blob. A larger body
   * goes in blocks that one Put Block List commits at the end.
   *
   * @throws StorageException if a request fails or a stream contains a different number of bytes
   *     than it declared, and then no blob is committed
   */
  @Override
  public ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType, ExchangeListener listener) {
    Objects.requireNonNull(body, "body");
    return put(PutRequest.of(ref, body, contentType), listener);
  }

  /**
   * Uploads a block blob with its user metadata as {@code x-ms-meta-NAME} headers, on the Put Blob
   * or on the Put Block List that commits the blocks. Blob Storage keeps the letter case of names,
   * but {@link #head} returns them in lower case.
   *
   * @throws IllegalArgumentException before any request, if a metadata name is not an ASCII C#
   *     identifier (a letter or {@code _}, then letters, digits and {@code _}) or names and values
   *     together take more than 8 KB (8,192 bytes), the Blob Storage limit
   * @throws StorageException if a request fails or a stream contains a different number of bytes
   *     than it declared, and then no blob is committed
   */
  @Override
  public ObjectMetadata put(PutRequest request, ExchangeListener listener) {
    Objects.requireNonNull(request, "request");
    ObjectRef ref = request.ref();
    checkRef(ref);
    BlobMetadata.check(ref, request.userMetadata());
    // OkHttp trims header values, so the metadata returned names the media type as sent.
    String contentType = request.contentType() == null ? null : request.contentType().trim();
    BlobHeaders headers = new BlobHeaders(contentType, request.userMetadata());
    ObjectBody body = request.body();
    ExchangeListener exchanges = listenerOrNone(listener);
    long length = body.contentLength();
    if (body.isRepeatable() && length <= singlePutThreshold) {
      return putBlob(ref, new StreamingBody(body, length), headers, exchanges);
    }
    if (body.isRepeatable()) {
      return putBlocks(ref, body.openStream(), length, headers, exchanges);
    }
    return putStream(ref, body.openStream(), length, headers, exchanges);
  }

  @Override
  public void delete(ObjectRef ref, ExchangeListener listener) {
    List<String[]> headers = List.<String[]>of(header("x-ms-delete-snapshots", "include"));
    BlobCall call = new BlobCall("DELETE", blobUrl(ref, null), headers, null, "DELETE " + describe(ref));
    transport.execute(call, listenerOrNone(listener), true).close();
  }

  @Override
  public ObjectMetadata head(ObjectRef ref, ExchangeListener listener) {
    BlobCall call = new BlobCall("HEAD", blobUrl(ref, null), List.of(), null, "HEAD " + describe(ref));
    try (Response response = transport.execute(call, listenerOrNone(listener), false)) {
      return metadata(ref, response);
    }
  }

  @Override
  public ListPage list(ListRequest request, ExchangeListener listener) {
    Objects.requireNonNull(request, "request");
    HttpUrl.Builder url = containerUrl(request.container())
        .addQueryParameter("restype", "container").addQueryParameter("comp", "list")
        .addQueryParameter("maxresults", Integer.toString(request.maxResults()));
    addIfPresent(url, "prefix", request.prefix());
    addIfPresent(url, "delimiter", request.delimiter());
    addIfPresent(url, "marker", request.continuationToken());
    String operation = "List Blobs " + request.container();
    BlobCall call = new BlobCall("GET", encodedQuery(url), List.of(), null, operation);
    try (Response response = transport.execute(call, listenerOrNone(listener), false)) {
      return BlobListings.parse(readBounded(response, MAX_LIST_BODY_BYTES, operation));
    } catch (IllegalArgumentException e) {
      throw new StorageException("Invalid List Blobs response for container '" + request.container() + "': "
          + e.getMessage(), 200, null, null, e, false);
    }
  }

  /**
   * Returns a URL with a SAS that grants read ({@code GET}) or create and write ({@code PUT}) on one
   * blob, expiring after the requested time or with the credential, whichever is first.
   *
   * <p>Note: with an access token, the first call and each call after the user delegation key runs
   * out make one Get User Delegation Key request. The key, and so the URL, ends no later than the
   * token and at most 7 days after it starts, 5 minutes before the call. A SAS token cannot sign a
   * narrower SAS, so with a SAS token credential the URL would carry that token as it is, with its
   * own permissions, resource and expiry. That is rejected unless {@link
   * Builder#presignWithSasToken()} was called.
   *
   * @throws IllegalStateException if the credential has expired, or is a SAS token and {@link
   *     Builder#presignWithSasToken()} was not called
   */
  @Override
  public URI presign(PresignRequest request) {
    Objects.requireNonNull(request, "request");
    checkRef(request.ref());
    Credential credential = credentials.fetch();
    String token;
    if (credential instanceof SasToken sas) {
      requirePresignWithSasToken(request);
      token = sas.token().reveal();
    } else {
      BlobSas sas = presignSas(request);
      token = credential instanceof SharedKey key ? sas.sign(key).token().reveal()
          : sas.sign(endpoint.accountName(), delegationKey((AccessToken) credential, request.expiry())).token().reveal();
    }
    return URI.create(blobUrl(request.ref(), null) + "?" + token);
  }

  private void requirePresignWithSasToken(PresignRequest request) {
    if (!presignWithSasToken) {
      throw new IllegalStateException("Cannot presign " + request.method() + " of '" + request.ref().key()
          + "' in container '" + request.ref().container() + "' for " + request.expiry()
          + " with a SAS token credential: the URL would carry the configured token with all its permissions"
          + " and its own expiry. Use an account key or an access token to presign narrower URLs, or build the"
          + " backend with BlobBackend.builder().presignWithSasToken() (BlobBackend.factory() does not set it)"
          + " to hand out the token as it is");
    }
  }

  /** Closes the credential cache this backend created around a plain provider; the HTTP client stays open. */
  @Override
  public void close() {
    if (ownedCache != null) {
      ownedCache.close();
    }
  }

  @Override
  public String toString() {
    return "BlobBackend[" + endpoint.base() + "]";
  }

  private ObjectMetadata putBlob(ObjectRef ref, RequestBody body, BlobHeaders blob, ExchangeListener listener) {
    List<String[]> headers = new ArrayList<>();
    headers.add(header("x-ms-blob-type", "BlockBlob"));
    if (blob.contentType() != null) {
      headers.add(header("Content-Type", blob.contentType()));
    }
    blob.addMetadata(headers);
    BlobCall call = new BlobCall("PUT", blobUrl(ref, null), headers, body, "PUT " + describe(ref));
    try (Response response = transport.execute(call, listener, false)) {
      return uploaded(ref, response, call.bodyLength(), blob);
    }
  }

  /** Uploads a stream that may not be read twice: in one Put Blob if it fits under the threshold. */
  private ObjectMetadata putStream(ObjectRef ref, InputStream in, long length, BlobHeaders headers,
      ExchangeListener listener) {
    try (in) {
      byte[] head = in.readNBytes((int) singlePutThreshold + 1);
      if (head.length <= singlePutThreshold) {
        checkLength(ref, length, head.length);
        return putBlob(ref, RequestBody.create(head, null), headers, listener);
      }
      return putBlocks(ref, new SequenceInputStream(new ByteArrayInputStream(head), in), length, headers,
          listener);
    } catch (IOException e) {
      throw new StorageException("Cannot read the upload body of " + describe(ref) + ": " + e.getMessage(), 0,
          null, null, e, false);
    }
  }

  private ObjectMetadata putBlocks(ObjectRef ref, InputStream in, long length, BlobHeaders headers,
      ExchangeListener listener) {
    BlockUpload upload = new BlockUpload();
    long total = 0;
    try (in) {
      for (byte[] block = BlockUpload.readBlock(in, blockSize); block.length > 0;
          block = BlockUpload.readBlock(in, blockSize)) {
        putBlock(ref, upload.nextBlockId(), block, listener);
        total += block.length;
      }
    } catch (IOException e) {
      throw new StorageException("Cannot read the upload body of " + describe(ref) + " after " + total
          + " bytes; nothing was committed: " + e.getMessage(), 0, null, null, e, false);
    }
    checkLength(ref, length, total);
    logger.debug("Committing {} blocks ({} bytes) to {}", upload.blockCount(), total, describe(ref));
    return putBlockList(ref, upload, total, headers, listener);
  }

  private void putBlock(ObjectRef ref, String blockId, byte[] block, ExchangeListener listener) {
    String url = blobUrl(ref, "comp=block&blockid=" + PercentCoding.encodeQueryComponent(blockId));
    BlobCall call = new BlobCall("PUT", url, List.of(), RequestBody.create(block, null),
        "Put Block " + describe(ref));
    transport.execute(call, listener, false).close();
  }

  private ObjectMetadata putBlockList(ObjectRef ref, BlockUpload upload, long total, BlobHeaders blob,
      ExchangeListener listener) {
    List<String[]> headers = new ArrayList<>();
    headers.add(header("Content-Type", "application/xml"));
    if (blob.contentType() != null) {
      headers.add(header("x-ms-blob-content-type", blob.contentType()));
    }
    blob.addMetadata(headers);
    BlobCall call = new BlobCall("PUT", blobUrl(ref, "comp=blocklist"), headers,
        RequestBody.create(upload.blockListXml(), null), "Put Block List " + describe(ref));
    try (Response response = transport.execute(call, listener, false)) {
      return uploaded(ref, response, total, blob);
    }
  }

  private static void checkLength(ObjectRef ref, long declared, long actual) {
    if (declared != ObjectBody.UNKNOWN_LENGTH && declared != actual) {
      throw new StorageException("Upload of " + describe(ref) + " read " + actual + " bytes but the body declared "
          + declared + "; nothing was committed", 0, null, null, null, false);
    }
  }

  private static ObjectMetadata uploaded(ObjectRef ref, Response response, long size, BlobHeaders blob) {
    return new ObjectMetadata(ref, size, response.header("ETag"), blob.contentType(),
        parseDate(response.header("Last-Modified")), blob.lowerCaseMetadata());
  }

  /** The content type and user metadata of an upload, sent on Put Blob or Put Block List. */
  private record BlobHeaders(String contentType, Map<String, String> userMetadata) {
    void addMetadata(List<String[]> headers) {
      userMetadata.forEach((name, value) -> headers.add(header(META_PREFIX + name, value)));
    }

    Map<String, String> lowerCaseMetadata() {
      Map<String, String> lower = new HashMap<>();
      userMetadata.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
      return lower;
    }

    @Override
    public String toString() {
      return "BlobHeaders[contentType=" + contentType + ", userMetadataNames=" + userMetadata.keySet() + "]";
    }
  }

  private BlobSas presignSas(PresignRequest request) {
    String permissions = request.method() == PresignRequest.Method.GET ? "r" : "cw";
    return BlobSas.builder().blob(request.ref().container(), request.ref().key()).permissions(permissions)
        .lifetime(request.expiry()).protocol(presignProtocol).clock(serverClock).build();
  }

  /**
   * Returns a user delegation key for a SAS that expires {@code expiry} from now. A new key starts 5
   * minutes before now, for clock skew, and ends 5 minutes after the SAS, but no later than the token
   * and at most 7 days after its start, the limit of Blob Storage. The SAS then ends with the key. The
   * last key is reused while it reaches as far as a new key would.
   */
  private UserDelegationKey delegationKey(AccessToken token, Duration expiry) {
    Instant now = serverClock.instant();
    Instant start = now.minus(DELEGATION_KEY_MARGIN);
    Instant latestExpiry = earliest(start.plus(UserDelegationKeyClient.MAX_KEY_LIFETIME),
        token.expiresAt().orElse(Instant.MAX));
    Instant needed = earliest(now.plus(expiry), latestExpiry).truncatedTo(ChronoUnit.SECONDS);
    UserDelegationKey cached = lastDelegationKey;
    if (cached != null && !cached.signedStart().isAfter(now) && !cached.signedExpiry().isBefore(needed)) {
      return cached;
    }
    if (delegationKeys == null) {
      throw new IllegalStateException("Cannot presign with an access token over plain HTTP at " + endpoint.base()
          + ": use an https:// endpoint");
    }
    Instant keyExpiry = earliest(now.plus(expiry).plus(DELEGATION_KEY_MARGIN), latestExpiry);
    UserDelegationKey fresh = delegationKeys.fetch(token, start, keyExpiry);
    lastDelegationKey = fresh;
    return fresh;
  }

  private static Instant earliest(Instant first, Instant second) {
    return first.isBefore(second) ? first : second;
  }

  private ObjectMetadata metadata(ObjectRef ref, Response response) {
    Map<String, String> userMetadata = new HashMap<>();
    for (String name : response.headers().names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(META_PREFIX)) {
        userMetadata.put(lower.substring(META_PREFIX.length()), response.header(name));
      }
    }
    return new ObjectMetadata(ref, objectSize(response), response.header("ETag"), response.header("Content-Type"),
        parseDate(response.header("Last-Modified")), userMetadata);
  }

  private static long objectSize(Response response) {
    String contentRange = response.header("Content-Range");
    if (contentRange != null) {
      Matcher matcher = CONTENT_RANGE_TOTAL.matcher(contentRange);
      if (matcher.matches()) {
        return Long.parseLong(matcher.group(1));
      }
    }
    String length = response.header("Content-Length");
    return length == null ? -1 : Long.parseLong(length);
  }

  private static Instant parseDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return HttpDates.parse(value);
    } catch (DateTimeParseException e) {
      logger.debug("Ignoring an unreadable Last-Modified '{}' from Blob Storage", value);
      return null;
    }
  }

  private String blobUrl(ObjectRef ref, String rawQuery) {
    checkRef(ref);
    String url = endpoint.base() + "/" + ref.container() + "/" + PercentCoding.encodePath(ref.key())
        + (rawQuery == null ? "" : "?" + rawQuery);
    return HttpUrl.get(url).toString();
  }

  private HttpUrl.Builder containerUrl(String container) {
    checkContainer(container);
    return HttpUrl.get(endpoint.base() + "/" + container).newBuilder();
  }

  /** Returns the URL with every query value percent-encoded as {@link PercentCoding} does. */
  private static String encodedQuery(HttpUrl.Builder url) {
    HttpUrl built = url.build();
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < built.querySize(); i++) {
      query.append(i == 0 ? "?" : "&").append(built.queryParameterName(i)).append('=')
          .append(PercentCoding.encodeQueryComponent(built.queryParameterValue(i)));
    }
    return HttpUrl.get(built.newBuilder().query(null).build() + query.toString()).toString();
  }

  private static void addIfPresent(HttpUrl.Builder url, String name, String value) {
    if (value != null && !value.isEmpty()) {
      url.addQueryParameter(name, value);
    }
  }

  private static byte[] readBounded(Response response, int maxBytes, String operation) {
    try (InputStream in = response.body().byteStream()) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new StorageException(operation + " returned more than " + maxBytes + " bytes", response.code(), null,
            response.header("x-ms-request-id"), null, false);
      }
      return bytes;
    } catch (IOException e) {
      throw AzureErrors.fromIoException(e, operation);
    }
  }

  private static void checkRef(ObjectRef ref) {
    Objects.requireNonNull(ref, "ref");
    checkContainer(ref.container());
    String key = ref.key();
    if (key.length() > 1024) {
      throw new IllegalArgumentException("Invalid blob name of " + key.length() + " characters in container '"
          + ref.container() + "': Blob Storage allows at most 1,024");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("Invalid blob name '" + key + "': a '.' or '..' segment would be"
            + " removed from the URL on the way, so rename the blob");
      }
    }
  }

  private static void checkContainer(String container) {
    ContainerNames.check(container);
  }

  private static String describe(ObjectRef ref) {
    return ref.container() + "/" + ref.key();
  }

  private static String[] header(String name, String value) {
    return new String[] {name, value};
  }

  private static ExchangeListener listenerOrNone(ExchangeListener listener) {
    return listener == null ? ExchangeListener.NONE : listener;
  }

  /** The body stream of a download; closing it releases the connection. */
  private static final class ResponseStream extends FilterInputStream {
    private final Response response;

    ResponseStream(Response response) {
      super(response.body().byteStream());
      this.response = response;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        response.close();
      }
    }
  }

  /**
   * Builder for {@link BlobBackend}; not thread-safe. Required: the endpoint, one credential source
   * and the HTTP client. Defaults: service version {@value SharedKeySigner#DEFAULT_SERVICE_VERSION},
   * the system clock, a new {@link ClockSkew}, 8 MiB blocks and a 32 MiB single-put threshold.
   */
  public static final class Builder {
    private BlobEndpoint endpoint;
    private String accountName;
    private CredentialProvider<? extends Credential> anyCredentials;
    private boolean bearer;
    private OkHttpClient httpClient;
    private ClockSkew clockSkew = ClockSkew.create();
    private InstantSource clock = InstantSource.system();
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private long singlePutThreshold = DEFAULT_SINGLE_PUT_THRESHOLD;
    private String serviceVersion = SharedKeySigner.DEFAULT_SERVICE_VERSION;
    private boolean plainHttpOnLoopback;
    private boolean presignWithSasToken;

    private Builder() {}

    /**
     * Sets the Blob service endpoint: {@code https://account.blob.core.windows.net}, or path-style
     * with the account as the only path segment, such as {@code http://127.0.0.1:10000/devstoreaccount1}
     * for an emulator.
     *
     * @throws IllegalArgumentException if it is not such a URI, or if it contains user information,
     *     which {@link BlobBackend#toString()} and presigned URLs would show
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = BlobEndpoint.parse(endpoint);
      return this;
    }

    /** Sets the expected account name; {@link #build()} checks that the endpoint names the same account. */
    public Builder accountName(String accountName) {
      this.accountName = Objects.requireNonNull(accountName, "accountName");
      return this;
    }

    /** Authorizes with account keys from this source, normally a {@link CredentialCache}. */
    public Builder sharedKey(CredentialProvider<SharedKey> source) {
      return credentials(source, false);
    }

    /** Authorizes with one fixed account key. */
    public Builder sharedKey(SharedKey key) {
      Objects.requireNonNull(key, "key");
      return sharedKey(new FixedSource<>(key));
    }

    /** Authorizes with SAS tokens from this source, normally a {@link CredentialCache}. */
    public Builder sasToken(CredentialProvider<SasToken> source) {
      return credentials(source, false);
    }

    /**
     * Authorizes with Microsoft Entra access tokens for {@code https://storage.azure.com/.default}
     * from this source, normally a {@link CredentialCache}. Needs an HTTPS endpoint.
     */
    public Builder accessToken(CredentialProvider<AccessToken> source) {
      return credentials(source, true);
    }

    /**
     * Sets the HTTP client to share with the rest of the application, whose timeouts apply; a new
     * client by default. {@link BlobBackend#close()} leaves it open. The backend uses a derived client
     * that follows no redirects, so a signed request is never resent to a host the response names.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the clock-skew estimate, shared with other backends of one client; a new one by default. */
    public Builder clockSkew(ClockSkew clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /** Sets the local clock for signing times; the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the size of each Put Block, in bytes, from 1 KiB to 256 MiB; 8 MiB by default. Each block
     * is held in memory while it is sent.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Builder blockSize(int bytes) {
      if (bytes < MIN_BLOCK_SIZE || bytes > MAX_BLOCK_SIZE) {
        throw new IllegalArgumentException(
            "Invalid block size " + bytes + ": use " + MIN_BLOCK_SIZE + " to " + MAX_BLOCK_SIZE + " bytes");
      }
      this.blockSize = bytes;
      return this;
    }

    /**
     * Sets the size up to which a put is one Put Blob, in bytes, from 0 to 256 MiB; 32 MiB by default.
     * A stream that cannot be read twice is held in memory up to this size.
     *
     * @throws IllegalArgumentException if it is out of range
     */
    public Builder singlePutThreshold(long bytes) {
      if (bytes < 0 || bytes > MAX_SINGLE_PUT_THRESHOLD) {
        throw new IllegalArgumentException(
            "Invalid single-put threshold " + bytes + ": use 0 to " + MAX_SINGLE_PUT_THRESHOLD + " bytes");
      }
      this.singlePutThreshold = bytes;
      return this;
    }

    /** Sets {@code x-ms-version} and the SAS version; {@value SharedKeySigner#DEFAULT_SERVICE_VERSION} by default. */
    public Builder serviceVersion(String serviceVersion) {
      this.serviceVersion = ServiceVersions.check("serviceVersion", serviceVersion);
      return this;
    }

    /**
     * Allows a plain {@code http://} endpoint when its host is a loopback address, for an emulator.
     * Presigned URLs then allow HTTP as well ({@code spr=https,http}).
     */
    public Builder allowPlainHttpOnLoopback() {
      this.plainHttpOnLoopback = true;
      return this;
    }

    /**
     * Lets {@link BlobBackend#presign} return URLs that carry the configured SAS token as it is, with
     * its own permissions, resource and expiry, which may grant more than the request names: such as
     * write and delete on the whole container for a presigned GET. Off by default, when presigning
     * with a SAS token credential fails.
     */
    public Builder presignWithSasToken() {
      this.presignWithSasToken = true;
      return this;
    }

    /**
     * Builds the backend. A credential source that is not a {@link CredentialCache} is wrapped in one,
     * which {@link BlobBackend#close()} closes.
     *
     * @throws IllegalStateException if the endpoint, the credentials or the HTTP client are missing, if
     *     the endpoint is plain HTTP without {@link #allowPlainHttpOnLoopback()} or not on loopback, if
     *     access tokens would go over plain HTTP, or if the account name differs from the endpoint's
     */
    public BlobBackend build() {
      if (endpoint == null) {
        throw new IllegalStateException("A BlobBackend needs an endpoint: call endpoint(URI.create(\"https://account.blob.core.windows.net\"))");
      }
      if (anyCredentials == null) {
        throw new IllegalStateException("A BlobBackend needs a credential source: call sharedKey(...), sasToken(...) or accessToken(...)");
      }
      if (httpClient == null) {
        httpClient = new OkHttpClient();
      }
      checkTransport();
      httpClient = httpClient.newBuilder().followRedirects(false).followSslRedirects(false).build();
      if (accountName != null && !accountName.equals(endpoint.accountName())) {
        throw new IllegalStateException("Invalid account name '" + accountName + "': the endpoint " + endpoint.base()
            + " names account '" + endpoint.accountName() + "'");
      }
      return create();
    }

    @SuppressWarnings("unchecked")
    private BlobBackend create() {
      if (anyCredentials instanceof CredentialCache<?>) {
        return new BlobBackend(this, (CredentialProvider<Credential>) anyCredentials, null);
      }
      CredentialCache<Credential> cache =
          CredentialCache.builder((CredentialProvider<Credential>) anyCredentials).clock(clock).build();
      return new BlobBackend(this, cache, cache);
    }

    private void checkTransport() {
      if (!endpoint.isPlainHttp()) {
        return;
      }
      if (!plainHttpOnLoopback || !endpoint.isLoopback()) {
        throw new IllegalStateException("Invalid endpoint " + endpoint.base() + ": plain HTTP is allowed only for"
            + " an emulator on a loopback address with allowPlainHttpOnLoopback(); use https:// otherwise");
      }
      if (bearer) {
        throw new IllegalStateException("Invalid endpoint " + endpoint.base()
            + " for access tokens: Azure Storage accepts bearer tokens only over HTTPS");
      }
    }

    private Builder credentials(CredentialProvider<? extends Credential> source, boolean isBearer) {
      Objects.requireNonNull(source, "source");
      if (anyCredentials != null) {
        throw new IllegalStateException("A BlobBackend takes one credential source: " + anyCredentials.name()
            + " is already set");
      }
      this.anyCredentials = source;
      this.bearer = isBearer;
      return this;
    }
  }

  /** A source that always returns one credential, such as a configured account key. */
  private record FixedSource<C extends Credential>(C credential) implements CredentialProvider<C> {
    @Override
    public C fetch() {
      return credential;
    }

    @Override
    public String name() {
      return "fixed";
    }
  }
}
