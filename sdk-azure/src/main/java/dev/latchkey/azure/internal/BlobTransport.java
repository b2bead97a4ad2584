package dev.latchkey.azure.internal;

import dev.latchkey.audit.Redactor;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Blob Storage requests: gets the current credential, signs with the estimated server time,
 * reports every attempt to the {@link ExchangeListener} (and builds no report for {@link
 * ExchangeListener#NONE}), keeps the {@link ClockSkew} up to date from {@code Date} headers, and
 * maps errors to {@link StorageException}.
 *
 * <p>A request that the service rejects as unauthenticated (HTTP 403 {@code AuthenticationFailed} or
 * HTTP 401; see {@link #isAuthenticationFailure}) is sent once more after the rejected credential is invalidated in its {@link
 * CredentialCache}, which reads the credential source again: this is how a rotated account key
 * takes effect without a restart. The cache replaces the credential only if it is still the one
 * that was rejected.
 *
 * <p>A request can wait for a connection (a TLS handshake with a busy server) after it was signed.
 * So a network interceptor, which runs once the connection is open, reads the cache again and signs
 * the request again if the cache has replaced the credential in the meantime. A short-lived token
 * that went stale while the request waited is therefore not sent. Thread-safe.
 *
 * @param <C> the type of credential
 */
public final class BlobTransport<C extends Credential> {

  private static final Logger logger = LoggerFactory.getLogger(BlobTransport.class);

  private final CredentialProvider<C> credentials;
  private final RequestSigner<C> signer;
  private final OkHttpClient httpClient;
  private final InstantSource clock;
  private final ClockSkew clockSkew;

  public BlobTransport(CredentialProvider<C> credentials, RequestSigner<C> signer, OkHttpClient httpClient,
      InstantSource clock, ClockSkew clockSkew) {
    this.credentials = credentials;
    this.signer = signer;
    this.clock = clock;
    this.clockSkew = clockSkew;
    OkHttpClient.Builder builder = httpClient.newBuilder();
    // First among the network interceptors, so the caller's own ones see the request as it is sent.
    builder.networkInterceptors().add(0, this::signAgainIfReplaced);
    this.httpClient = builder.build();
  }

  /**
   * Sends a request and returns the successful response, which the caller closes; a 404 counts as
   * success when {@code notFoundIsSuccess} is set.
   *
   * @throws StorageException if the service rejects the request or cannot be reached
   */
  public Response execute(BlobCall call, ExchangeListener listener, boolean notFoundIsSuccess) {
    Attempt first = new Attempt(call);
    try {
      return attempt(first, credentials.fetch(), listener, notFoundIsSuccess);
    } catch (StorageException e) {
      C rejected = first.credential;
      if (!isAuthenticationFailure(e, rejected) || !(credentials instanceof CredentialCache<C> cache)) {
        throw e;
      }
      logger.info("{} was rejected with {} under credential {}; reading the credential source again and"
          + " retrying once (x-ms-request-id {})", call.operation(), e.errorCode(), rejected.id(), e.requestId());
      cache.invalidate(rejected);
      return attempt(new Attempt(call), credentials.fetch(), listener, notFoundIsSuccess);
    }
  }

  /** Returns a clock of the estimated server time, for signing done outside this class (SAS). */
  public InstantSource serverClock() {
    return () -> clockSkew.serverTime(clock);
  }

  private Response attempt(Attempt attempt, C credential, ExchangeListener listener, boolean notFoundIsSuccess) {
    BlobCall call = attempt.call;
    attempt.sign(credential);
    Request request = toOkHttp(attempt.signed, call).newBuilder().tag(Attempt.class, attempt).build();
    long started = System.nanoTime();
    Response response;
    try {
      response = httpClient.newCall(request).execute();
    } catch (IOException e) {
      report(listener, call, attempt.signed, attempt.credential, 0, null, null, 0, started);
      throw AzureErrors.fromIoException(e, call.operation());
    }
    updateClockSkew(response);
    if (response.isSuccessful() || (notFoundIsSuccess && response.code() == 404)) {
      report(listener, call, attempt.signed, attempt.credential, response.code(), null,
          response.header("x-ms-request-id"), contentLength(response), started);
      return response;
    }
    StorageException error;
    try (response) {
      error = AzureErrors.fromResponse(response, call.operation(), signaturesOf(attempt.signed),
          clockSkew.serverTime(clock));
    }
    report(listener, call, attempt.signed, attempt.credential, error.statusCode(), error.errorCode(),
        error.requestId(), 0, started);
    throw error;
  }

  /**
   * Signs the request again when the cache no longer serves the credential it was signed with, such
   * as a token that reached its stale time while the request waited for a connection. Runs on the
   * caller's thread once the connection is open, and again on each attempt OkHttp makes by itself.
   */
  private Response signAgainIfReplaced(Interceptor.Chain chain) throws IOException {
    Attempt attempt = chain.request().tag(Attempt.class);
    if (attempt == null || !(credentials instanceof CredentialCache<?>)) {
      return chain.proceed(chain.request());
    }
    C current = credentials.fetch();
    if (current != attempt.credential) {
      logger.debug("Signing {} again with credential {}: the cache replaced credential {} while the request"
          + " waited to be sent", attempt.call.operation(), current.id(), attempt.credential.id());
      attempt.sign(current);
    }
    if (attempt.signCount == 1) {
      return chain.proceed(chain.request());
    }
    // Only the URL and the headers the signer wrote change: OkHttp has already added Host,
    // Content-Length and its other headers to the request a network interceptor receives.
    Request.Builder signedAgain = chain.request().newBuilder().url(attempt.signed.uri().toString());
    for (SignableRequest.Header header : attempt.signed.headers()) {
      signedAgain.header(header.name(), header.value());
    }
    return chain.proceed(signedAgain.build());
  }

  /**
   * Returns whether the service rejected the credential itself. Azure returns 403 {@code
   * AuthenticationFailed} for a wrong signature. Azurite 3.35.0 returns 403 {@code
   * AuthorizationFailure} for a wrong Shared Key signature, a code Azure uses for requests it
   * authenticated but does not allow. So that code counts only for account keys, where one more
   * attempt is cheap.
   */
  private static boolean isAuthenticationFailure(StorageException e, Credential credential) {
    if (e.statusCode() == 401) {
      return true;
    }
    return e.statusCode() == 403 && ("AuthenticationFailed".equals(e.errorCode())
        || (credential instanceof SharedKey && "AuthorizationFailure".equals(e.errorCode())));
  }

  private static SignableRequest unsigned(BlobCall call) {
    SignableRequest.Builder builder = SignableRequest.builder(call.method(), URI.create(call.url()));
    for (String[] header : call.headers()) {
      builder.addHeader(header[0], header[1]);
    }
    if (call.body() != null) {
      builder.setHeader("Content-Length", Long.toString(call.bodyLength()));
    }
    return builder.build();
  }

  private static Request toOkHttp(SignableRequest signed, BlobCall call) {
    Request.Builder builder = new Request.Builder().url(signed.uri().toString());
    for (SignableRequest.Header header : signed.headers()) {
      builder.addHeader(header.name(), header.value());
    }
    return builder.method(call.method(), call.body()).build();
  }

  private void updateClockSkew(Response response) {
    String date = response.header("Date");
    if (date == null) {
      return;
    }
    try {
      clockSkew.update(clock.instant(), HttpDates.parse(date));
    } catch (DateTimeParseException e) {
      logger.debug("Ignoring an unreadable Date header '{}' from Blob Storage", date);
    }
  }

  private void report(ExchangeListener listener, BlobCall call, SignableRequest signed, C credential, int status,
      String errorCode, String requestId, long bytesReceived, long startedNanos) {
    // A listener that ignores exchanges gets no report, which saves redacting the URL on each call.
    if (listener == ExchangeListener.NONE) {
      return;
    }
    Duration duration = Duration.ofNanos(System.nanoTime() - startedNanos);
    listener.onExchange(new Exchange(call.method(), Redactor.url(signed.uri().toString()), status, errorCode,
        requestId, credential.id(), credentials.name(), Math.max(call.bodyLength(), 0), bytesReceived, duration));
  }

  private static long contentLength(Response response) {
    String length = response.header("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Returns the signatures a request carries, so error messages can leave them out. */
  private static List<String> signaturesOf(SignableRequest signed) {
    List<String> signatures = new ArrayList<>(3);
    signed.firstHeader("Authorization").ifPresent(value -> {
      signatures.add(value);
      signatures.add(value.substring(value.lastIndexOf(value.contains(":") ? ':' : ' ') + 1));
    });
    String query = signed.uri().getRawQuery();
    if (query != null) {
      for (String[] parameter : QueryParameters.decodeLowerCasedNames(query)) {
        if (parameter[0].equals("sig")) {
          signatures.add(parameter[1]);
        }
      }
    }
    return signatures;
  }

  /**
   * One attempt of a call: the credential and the signed request it is sent with, which {@link
   * #signAgainIfReplaced} may replace. Used by one thread at a time, the caller of {@link #execute}.
   */
  private final class Attempt {
    private final BlobCall call;
    private C credential;
    private SignableRequest signed;
    private int signCount;

    Attempt(BlobCall call) {
      this.call = call;
    }

    void sign(C with) {
      credential = with;
      signed = signer.sign(unsigned(call), with, clockSkew.serverTime(clock));
      signCount++;
    }
  }
}
