package dev.latchkey.s3.internal;

import dev.latchkey.RetryAfter;
import dev.latchkey.audit.Redactor;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and sends one S3 request with OkHttp, maps error responses to {@link StorageException}, and
 * retries once after clock skew and once after an expired session token.
 *
 * <p>A {@code RequestTimeTooSkewed} response updates the shared {@link ClockSkew} from the response's
 * {@code Date} header (or the error's {@code ServerTime}), and the request is signed again and sent
 * once more. An {@code ExpiredToken}, {@code InvalidToken} or {@code TokenRefreshRequired} response
 * invalidates the credential in its {@link CredentialCache} (which ignores the call if the credential
 * was already replaced), and the request is sent once more with the next credential. Both retries
 * need a body that can be sent again. Every attempt is reported to the {@link ExchangeListener}.
 *
 * <p>A request can wait for a connection (a TLS handshake with a busy server) after it was signed.
 * So when the keys come from a {@link CredentialCache}, a network interceptor, which runs once the
 * connection is open, reads the cache again and signs the request again with the current keys and
 * time if the cache has replaced the keys in the meantime. Only the headers the signer writes
 * change. A chunk-signed upload ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}) is signed again the same
 * way: OkHttp writes its body after the interceptor, and the body chains its chunk signatures from
 * the seed signature of the headers that are sent.
 *
 * <p>Each thread keeps the last request without a body that it sent, signed and in OkHttp's form.
 * When the same {@link SignableRequest} object comes back with the same keys in the same second of
 * the signing clock, that request is sent again as it is. SigV4 is deterministic, so signing it
 * anew would give the same headers; only the work of signing and building is saved. Thread-safe.
 */
public final class S3Transport {

  private static final Logger log = LoggerFactory.getLogger(S3Transport.class);

  /** The largest error body read: S3 error documents are well under 4 KiB. */
  private static final int MAX_ERROR_BYTES = 64 * 1024;

  private static final Set<String> TOKEN_ERRORS = Set.of("ExpiredToken", "InvalidToken", "TokenRefreshRequired");
  private static final Set<String> RETRYABLE_ERRORS =
      Set.of("SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed");

  private final OkHttpClient http;
  private final SigV4Signer signer;
  private final CredentialProvider<AwsCredentials> credentials;
  private final ClockSkew clockSkew;
  private final InstantSource clock;
  private volatile Origin lastOrigin;

  /**
   * The last request without a body that each thread sent; see the class description. NOTE: a
   * thread keeps the keys of that request until it sends another, or until the JVM clears the entry
   * of a transport that is no longer reachable.
   */
  private final ThreadLocal<Attempt> lastUnchanged = new ThreadLocal<>();

  public S3Transport(OkHttpClient http, SigV4Signer signer, CredentialProvider<AwsCredentials> credentials,
      ClockSkew clockSkew, InstantSource clock) {
    OkHttpClient.Builder builder = http.newBuilder();
    // First among the network interceptors, so the caller's own ones see the request as it is sent.
    builder.networkInterceptors().add(0, this::signAgainIfReplaced);
    this.http = builder.build();
    this.signer = signer;
    this.credentials = credentials;
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  /**
   * Fetches a credential and checks that it is an {@link AwsCredentials}. The type parameter of a
   * provider is erased, so a provider of another credential type, passed through {@code
   * StorageClient.builder().credentials(...)}, would otherwise fail with a ClassCastException.
   *
   * @throws IllegalArgumentException if the provider returned another kind of credential
   */
  public static AwsCredentials fetchAwsCredentials(CredentialProvider<AwsCredentials> provider) {
    Credential credential = ((CredentialProvider<?>) provider).fetch();
    if (credential instanceof AwsCredentials aws) {
      return aws;
    }
    String kind = credential == null ? "null" : credential.getClass().getSimpleName() + " " + credential.id();
    throw new IllegalArgumentException("Invalid credential " + kind + " from provider '" + provider.name()
        + "' for S3: SigV4 needs AwsCredentials, such as from WebIdentityCredentialsProvider or"
        + " AssumeRoleCredentialsProvider");
  }

  /** The body of a request: how it is signed, how OkHttp writes it, and whether it can be sent twice. */
  public interface Body {
    /** Signs the request, adding whatever payload headers this kind of body needs. */
    SignableRequest sign(SigV4Signer signer, SignableRequest request, AwsCredentials credentials, Instant time);

    /**
     * Returns the OkHttp body for a signed request, or {@code null} for none. A body whose content
     * depends on the signature must follow the latest {@link #sign} call when OkHttp writes it.
     */
    RequestBody toRequestBody(SignableRequest signed);

    /**
     * Returns whether each send needs a new signature, because the body was signed chunk by chunk
     * from the header signature while it was written and cannot be written again under it.
     */
    default boolean isChunkSigned() {
      return false;
    }

    /** Returns whether the body can be written again for a retry. */
    boolean isRepeatable();

    /** Returns the body bytes sent, for the exchange report. */
    long length();
  }

  /**
   * A failure of an upload body's source, such as the caller's stream, while OkHttp wrote the
   * request. It is not a network failure, so {@link #execute} reports it as not retryable, because
   * the stream is spent. S3 stored nothing, because it never received the final chunk.
   */
  public static final class BodySourceException extends IOException {
    private static final long serialVersionUID = 1L;

    public BodySourceException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The body of requests without one, shared because it has no state. */
  private static final Body NO_BODY = inMemory(null);

  /** Returns a body that is absent ({@code null}) or held in memory and signed with its SHA-256. */
  public static Body bytes(byte[] content) {
    return content == null ? NO_BODY : inMemory(content);
  }

  private static Body inMemory(byte[] content) {
    return new Body() {
      @Override
      public SignableRequest sign(SigV4Signer signer, SignableRequest request, AwsCredentials creds, Instant time) {
        SignableRequest withBody = content == null ? request : request.toBuilder().body(content).build();
        return signer.sign(withBody, creds, time);
      }

      @Override
      public RequestBody toRequestBody(SignableRequest signed) {
        return content == null ? null : RequestBody.create(content, null);
      }

      @Override
      public boolean isRepeatable() {
        return true;
      }

      @Override
      public long length() {
        return content == null ? 0 : content.length;
      }
    };
  }

  /**
   * Sends the request and returns the successful response, whose body the caller must close.
   *
   * @throws StorageException if S3 returned an error or could not be reached
   */
  public Response execute(SignableRequest request, Body body, ExchangeListener listener) {
    boolean skewRetried = false;
    boolean tokenRetried = false;
    while (true) {
      AwsCredentials keys = fetchAwsCredentials(credentials);
      Instant time = clockSkew.serverTime(clock);
      Attempt attempt = reusableAttempt(request, body, keys, time);
      if (attempt == null) {
        attempt = new Attempt(request, body);
        attempt.sign(signer, keys, time);
      }
      Outcome outcome = send(attempt, listener);
      if (outcome.response != null) {
        return outcome.response;
      }
      StorageException error = outcome.error;
      AwsCredentials current = attempt.credential;
      if ("RequestTimeTooSkewed".equals(error.errorCode()) && !skewRetried && body.isRepeatable()) {
        skewRetried = true;
        log.warn("S3 rejected {} {} as too skewed; new clock offset {}, signing again",
            request.method(), Redactor.url(request.uri()), clockSkew.offset());
        continue;
      }
      if (error.errorCode() != null && TOKEN_ERRORS.contains(error.errorCode()) && !tokenRetried && body.isRepeatable()
          && credentials instanceof CredentialCache<AwsCredentials> cache) {
        tokenRetried = true;
        log.warn("S3 rejected credential {} with {}; invalidating it and retrying once", current.id(), error.errorCode());
        cache.invalidate(current);
        continue;
      }
      throw error;
    }
  }

  /** The outcome of one HTTP exchange: a successful response or the error to throw or retry on. */
  private record Outcome(Response response, StorageException error) {}

  /**
   * Returns this thread's last attempt if it sent the same request object without a body, signed
   * with the same keys in the same second, and is not being sent now; otherwise {@code null}.
   */
  private Attempt reusableAttempt(SignableRequest request, Body body, AwsCredentials keys, Instant time) {
    if (body != NO_BODY) {
      return null;
    }
    Attempt last = lastUnchanged.get();
    if (last == null || last.request != request || last.sending || last.okRequest == null
        || last.credential != keys || last.signedSecond != time.getEpochSecond()) {
      return null;
    }
    last.sends = 0;
    return last;
  }

  private Outcome send(Attempt attempt, ExchangeListener listener) {
    Body body = attempt.body;
    if (attempt.okRequest == null) {
      attempt.okRequest = toOkHttpBuilder(attempt.signed, body).tag(Attempt.class, attempt).build();
      attempt.okRequestSigned = attempt.signed;
      if (body == NO_BODY) {
        lastUnchanged.set(attempt);
      }
    }
    long start = System.nanoTime();
    Response response;
    attempt.sending = true;
    try {
      response = http.newCall(attempt.okRequest).execute();
    } catch (BodySourceException e) {
      String url = Redactor.url(attempt.signed.uri());
      report(listener, attempt.signed, url, 0, null, null, attempt.credential, body.length(), 0, start);
      log.warn("S3 request {} {} stopped: {}", attempt.signed.method(), url, e.getMessage());
      return new Outcome(null, new StorageException(e.getMessage(), 0, null, null, e, false));
    } catch (IOException e) {
      String url = Redactor.url(attempt.signed.uri());
      report(listener, attempt.signed, url, 0, null, null, attempt.credential, body.length(), 0, start);
      log.warn("S3 request {} {} failed: {}", attempt.signed.method(), url, e.toString());
      return new Outcome(null, new StorageException("S3 request " + attempt.signed.method() + " " + url
          + " failed: " + e, 0, null, null, e, true));
    } finally {
      attempt.sending = false;
    }
    // The interceptor may have signed the request again, so the attempt's fields are read only now.
    SignableRequest signed = attempt.signed;
    AwsCredentials sent = attempt.credential;
    if (response.isSuccessful()) {
      // A listener that ignores exchanges gets no report, which saves redacting the URL on each call.
      if (listener != ExchangeListener.NONE) {
        long received = response.body().contentLength();
        report(listener, signed, Redactor.url(signed.uri()), response.code(), null,
            response.header("x-amz-request-id"), sent, body.length(), Math.max(received, 0), start);
      }
      return new Outcome(response, null);
    }
    String url = Redactor.url(signed.uri());
    return new Outcome(null, readError(response, signed, url, sent, body, listener, start));
  }

  /**
   * Signs the request again when the cache no longer serves the keys it was signed with, such as
   * keys that reached their stale time while the request waited for a connection. A chunk-signed
   * body is also signed again before each send after the first. Runs on the caller's thread once
   * the connection is open, and again on each attempt OkHttp makes by itself. Each time, the request
   * it receives carries the headers the OkHttp request was built with, so a signature made by an
   * earlier run replaces them again.
   */
  private Response signAgainIfReplaced(Interceptor.Chain chain) throws IOException {
    Attempt attempt = chain.request().tag(Attempt.class);
    if (attempt == null) {
      return chain.proceed(chain.request());
    }
    boolean resend = attempt.sends++ > 0 && attempt.body.isChunkSigned();
    AwsCredentials current = credentials instanceof CredentialCache<AwsCredentials> cache
        ? fetchAwsCredentials(cache) : attempt.credential;
    SignableRequest built = attempt.okRequestSigned;
    if (current == attempt.credential && !resend) {
      if (attempt.signed == built) {
        return chain.proceed(chain.request());
      }
      return chain.proceed(withSigningHeaders(chain.request(), built, attempt.signed));
    }
    if (current != attempt.credential) {
      log.debug("Signing {} {} again with keys {}: the cache replaced keys {} while the request waited to be sent",
          attempt.request.method(), Redactor.url(attempt.request.uri()), current.id(), attempt.credential.id());
    }
    attempt.sign(signer, current, clockSkew.serverTime(clock));
    // The OkHttp request kept for reuse carries the previous signature.
    attempt.okRequest = null;
    return chain.proceed(withSigningHeaders(chain.request(), built, attempt.signed));
  }

  /**
   * Returns the request with the headers of {@code previous} replaced by those of {@code signed}.
   * OkHttp has already added Host, Content-Length and its other headers to the request a network
   * interceptor receives, and a new signature changes neither the URL nor the body length.
   */
  private static Request withSigningHeaders(Request request, SignableRequest previous, SignableRequest signed) {
    Request.Builder builder = request.newBuilder();
    for (SignableRequest.Header header : previous.headers()) {
      if (isSentAsSigned(header)) {
        builder.removeHeader(header.name());
      }
    }
    for (SignableRequest.Header header : signed.headers()) {
      if (isSentAsSigned(header)) {
        builder.addHeader(header.name(), header.value());
      }
    }
    return builder.build();
  }

  /** Returns whether {@link #toOkHttp} copies the header; OkHttp writes Host and Content-Length itself. */
  private static boolean isSentAsSigned(SignableRequest.Header header) {
    String name = header.name();
    return switch (name.length()) {
      case 4 -> !name.equalsIgnoreCase("Host");
      case 14 -> !name.equalsIgnoreCase("Content-Length");
      default -> true;
    };
  }

  /**
   * One attempt of a request: the keys and the signed request it is sent with, which {@link
   * #signAgainIfReplaced} may replace, and the OkHttp request built from them. Used by one thread at
   * a time, the caller of {@link #execute}; a request without a body may be sent again by a later
   * call on that thread.
   *
   * <p>Static, so that the thread's memo does not reach the transport: an inner class would keep
   * the transport, and through it the {@link ThreadLocal} key, strongly reachable from every thread
   * that used it, and a discarded backend would stay in memory as long as such a thread lives.
   */
  private static final class Attempt {
    private final SignableRequest request;
    private final Body body;
    private AwsCredentials credential;
    private SignableRequest signed;
    private long signedSecond;
    private Request okRequest;
    /** The signed request that {@link #okRequest} was built from, whose headers OkHttp sends unless replaced. */
    private SignableRequest okRequestSigned;
    private int sends;
    private boolean sending;

    Attempt(SignableRequest request, Body body) {
      this.request = request;
      this.body = body;
    }

    void sign(SigV4Signer signer, AwsCredentials with, Instant time) {
      credential = with;
      signed = body.sign(signer, request, with, time);
      signedSecond = time.getEpochSecond();
    }
  }

  private StorageException readError(Response response, SignableRequest signed, String url, AwsCredentials current,
      Body body, ExchangeListener listener, long start) {
    byte[] bytes;
    try (response; InputStream in = response.body().byteStream()) {
      bytes = in.readNBytes(MAX_ERROR_BYTES);
    } catch (IOException e) {
      bytes = new byte[0];
    }
    S3Xml.ErrorDocument document = S3Xml.parseError(bytes);
    String code = document.code() != null ? document.code() : statusCode(response.code());
    String requestId = document.requestId() != null ? document.requestId() : response.header("x-amz-request-id");
    report(listener, signed, url, response.code(), code, requestId, current, body.length(), bytes.length, start);
    if ("RequestTimeTooSkewed".equals(code)) {
      updateSkew(response, document);
    }
    String message = "S3 " + signed.method() + " " + url + " failed with HTTP " + response.code() + " " + code
        + (document.message() == null ? "" : ": " + Redactor.text(document.message()))
        + (requestId == null ? "" : " (request id " + requestId + ")");
    boolean retryable = response.code() >= 500 || response.code() == 429 || RETRYABLE_ERRORS.contains(code);
    Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), clockSkew.serverTime(clock)).orElse(null);
    return new StorageException(message, response.code(), code, requestId, null, retryable, retryAfter);
  }

  /** Returns an error code for a response without a body (HEAD, or a proxy's empty 4xx). */
  private static String statusCode(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 403 -> "AccessDenied";
      case 404 -> "NotFound";
      case 409 -> "Conflict";
      case 412 -> "PreconditionFailed";
      case 416 -> "InvalidRange";
      case 503 -> "SlowDown";
      default -> "Http" + status;
    };
  }

  private void updateSkew(Response response, S3Xml.ErrorDocument document) {
    Instant local = clock.instant();
    Instant server = parseHttpDate(response.header("Date"));
    if (server == null && document.serverTime() != null) {
      server = parseIso(document.serverTime());
    }
    if (server == null) {
      log.warn("S3 returned RequestTimeTooSkewed without a Date header or ServerTime; clock offset unchanged");
      return;
    }
    clockSkew.update(local, server);
  }

  private static Instant parseHttpDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return HttpDates.parse(value);
    } catch (DateTimeParseException e) {
      log.warn("Ignoring an invalid Date header '{}': {}", value, e.getMessage());
      return null;
    }
  }

  private static Instant parseIso(String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      log.warn("Ignoring an invalid ServerTime '{}': {}", value, e.getMessage());
      return null;
    }
  }

  private void report(ExchangeListener listener, SignableRequest signed, String url, int status, String code,
      String requestId, AwsCredentials current, long sent, long received, long startNanos) {
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    listener.onExchange(new Exchange(signed.method(), url, status, code, requestId, current.id(),
        credentials.name(), sent, received, duration));
  }

  /**
   * Converts a signed request to OkHttp's form. It checks that OkHttp will send the path and query
   * exactly as signed, because otherwise the request would address a different object.
   */
  Request toOkHttp(SignableRequest signed, Body body) {
    return toOkHttpBuilder(signed, body).build();
  }

  /**
   * Returns a builder of the OkHttp request, so a caller can add a tag without building the request
   * twice; see {@link #toOkHttp}.
   */
  private Request.Builder toOkHttpBuilder(SignableRequest signed, Body body) {
    Origin origin = originOf(signed.uri());
    HttpUrl url = toHttpUrl(origin, signed.uri());
    if (!sendsAsSigned(origin, url, signed.uri())) {
      throw new IllegalArgumentException("Invalid request path " + Redactor.url(signed.uri())
          + ": the HTTP client would send it as " + Redactor.url(url.toString())
          + ", a different object; rename the key");
    }
    Request.Builder builder = new Request.Builder().url(url);
    for (SignableRequest.Header header : signed.headers()) {
      if (isSentAsSigned(header)) {
        builder.addHeader(header.name(), header.value());
      }
    }
    RequestBody requestBody = body.toRequestBody(signed);
    if (requestBody == null && (signed.method().equals("PUT") || signed.method().equals("POST"))) {
      requestBody = RequestBody.create(new byte[0], null);
    }
    return builder.method(signed.method(), requestBody);
  }

  /**
   * Returns the origin of {@code uri}. The scheme, host and port are parsed once per origin and
   * reused, because {@code HttpUrl.get} of the whole URL took about 4.5 µs per request, mostly host
   * canonicalization, in a profile of the StorageClient benchmark's {@code get} (2 shared cores under
   * load). Only the last origin is kept, which covers path-style addressing and virtual-hosted
   * addressing of one bucket.
   */
  private Origin originOf(URI uri) {
    Origin origin = lastOrigin;
    if (origin == null || !origin.matches(uri)) {
      origin = Origin.of(uri);
      lastOrigin = origin;
    }
    return origin;
  }

  /** Returns the OkHttp form of {@code uri}, whose scheme and authority are those of {@code origin}. */
  private static HttpUrl toHttpUrl(Origin origin, URI uri) {
    HttpUrl.Builder url = origin.root().newBuilder().encodedPath(uri.getRawPath());
    if (uri.getRawQuery() != null) {
      url.encodedQuery(uri.getRawQuery());
    }
    return url.build();
  }

  /**
   * Returns whether OkHttp will send the path and query of {@code uri} unchanged. The URL OkHttp
   * built is the origin's root URL up to its slash, then the path, then {@code ?} and the query if
   * there is one, so the check compares in place instead of cutting the path and query out.
   */
  private static boolean sendsAsSigned(Origin origin, HttpUrl url, URI uri) {
    String sent = url.toString();
    String rawPath = uri.getRawPath();
    String rawQuery = uri.getRawQuery();
    int pathStart = origin.pathStart();
    int pathEnd = pathStart + rawPath.length();
    if (!sent.startsWith(rawPath, pathStart)) {
      return false;
    }
    if (rawQuery == null) {
      return sent.length() == pathEnd;
    }
    return sent.length() == pathEnd + 1 + rawQuery.length() && sent.charAt(pathEnd) == '?'
        && sent.startsWith(rawQuery, pathEnd + 1);
  }

  /**
   * The scheme and authority of a request URI, the root URL OkHttp parsed from them, and where the
   * path starts in the OkHttp form of a URL of this origin.
   */
  private record Origin(String scheme, String authority, HttpUrl root, int pathStart) {
    static Origin of(URI uri) {
      HttpUrl root = HttpUrl.get(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
      return new Origin(uri.getScheme(), uri.getRawAuthority(), root, root.toString().length() - 1);
    }

    boolean matches(URI uri) {
      return scheme.equals(uri.getScheme()) && authority.equals(uri.getRawAuthority());
    }
  }
}
