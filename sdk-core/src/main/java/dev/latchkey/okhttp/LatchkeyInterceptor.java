package dev.latchkey.okhttp;

import dev.latchkey.audit.AccessAuditEvent;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditSinks;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.PolicyDecision;
import dev.latchkey.policy.Resource;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp application interceptor that gives any OkHttp-based client of an HTTP storage API
 * Latchkey's policy, credentials, signing and audit.
 *
 * <p>For each request it: classifies the request into an action and a resource; checks the access
 * policy and, when the policy denies, writes {@code access.denied} and throws {@link
 * AccessDeniedException} without sending anything; gets the current credential from the cache and
 * signs the request with it; sends it; and writes a {@code storage.request} event. When the server
 * responds with 401 Unauthorized, the credential is reported to the cache with {@link
 * CredentialCache#invalidate} and the request is signed again and sent once more, which covers what an
 * OkHttp {@code Authenticator} would do. A request with a one-shot body ({@link
 * RequestBody#isOneShot()}) is not sent again, because the first send spent its body. The 401 response
 * is returned, and the next request gets a new credential.
 *
 * <p>Add it with {@code addInterceptor}, not {@code addNetworkInterceptor}: OkHttp then drops the
 * {@code Authorization} header itself when a redirect leads to another host. Request bodies up to
 * {@link Builder#maxBufferedBody} bytes are buffered so that signers that hash the body can see them.
 *
 * <p>Thread-safe.
 *
 * @param <C> the type of credential
 */
public final class LatchkeyInterceptor<C extends Credential> implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(LatchkeyInterceptor.class);

  private final WorkloadIdentity identity;
  private final CredentialCache<C> credentials;
  private final RequestSigner<C> signer;
  private final RequestClassifier classifier;
  private final AccessPolicy policy;
  private final AuditSink audit;
  private final InstantSource clock;
  private final ClockSkew clockSkew;
  private final long maxBufferedBody;
  private final AuditStamper stamper;

  private LatchkeyInterceptor(Builder<C> builder) {
    this.identity = builder.identity;
    this.credentials = builder.credentials;
    this.signer = builder.signer;
    this.classifier = builder.classifier;
    this.policy = builder.policy;
    this.audit = builder.sinks.isEmpty() ? AuditSinks.slf4j() : AuditSinks.fanOut(builder.sinks);
    this.clock = builder.clock;
    this.clockSkew = builder.clockSkew;
    this.maxBufferedBody = builder.maxBufferedBody;
    this.stamper = AuditStamper.create(builder.clock);
  }

  public static <C extends Credential> Builder<C> builder() {
    return new Builder<>();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request original = chain.request();
    RequestTarget target = classify(original);
    PolicyDecision decision = authorize(target);
    String rule = decision.rule().map(Object::toString).orElse(null);
    Request buffered = withBufferedBody(original);

    C credential = credentials.current();
    Response response = send(chain, buffered, credential, target, rule);
    if (response.code() != 401) {
      return response;
    }

    if (!canSendAgain(buffered)) {
      LOG.info("{} {} was rejected with 401 under credential {}; refreshing it for the next request, but not"
          + " retrying, because the request body is one-shot", original.method(), original.url().redact(), credential.id());
      credentials.invalidate(credential);
      return response;
    }
    LOG.info("{} {} was rejected with 401 under credential {}; refreshing it and retrying once",
        original.method(), original.url().redact(), credential.id());
    response.close();
    credentials.invalidate(credential);
    return send(chain, buffered, credentials.current(), target, rule);
  }

  /** Returns whether the request can be sent again: it has no body, or one that can be written twice. */
  private static boolean canSendAgain(Request request) {
    return request.body() == null || !request.body().isOneShot();
  }

  private RequestTarget classify(Request request) {
    try {
      return classifier.classify(request);
    } catch (IllegalArgumentException e) {
      RequestTarget unknown = new RequestTarget(dev.latchkey.policy.Action.READ, "unknown://" + request.url().host() + "/");
      write(AccessAuditEvent.denied(stamper.next(), identity, "UNKNOWN", unknown.resource(), null, e.getMessage()));
      throw new IllegalArgumentException("Request " + request.method() + " " + request.url().redact()
          + " was not sent: " + e.getMessage(), e);
    }
  }

  private PolicyDecision authorize(RequestTarget target) {
    AccessRequest request = AccessRequest.builder()
        .identity(identity)
        .action(target.action())
        .resource(Resource.parse(target.resource()))
        .time(clock.instant())
        .build();
    PolicyDecision decision = policy.evaluate(request);
    String rule = decision.rule().map(Object::toString).orElse(null);
    if (!decision.isAllowed()) {
      write(AccessAuditEvent.denied(stamper.next(), identity, target.action().name(), target.resource(), rule, decision.reason()));
      throw new AccessDeniedException(request, decision);
    }
    write(AccessAuditEvent.allowed(stamper.next(), identity, target.action().name(), target.resource(), rule, decision.reason()));
    return decision;
  }

  private Response send(Chain chain, Request request, C credential, RequestTarget target, String rule) throws IOException {
    Request signed = sign(request, credential);
    long started = System.nanoTime();
    try {
      Response response = chain.proceed(signed);
      writeExchange(signed, response.code(), requestIdOf(response), credential, target, rule, started, null);
      return response;
    } catch (IOException e) {
      writeExchange(signed, 0, null, credential, target, rule, started, e);
      throw e;
    }
  }

  private Request sign(Request request, C credential) throws IOException {
    SignableRequest signable = toSignable(request);
    SignableRequest signed = signer.sign(signable, credential, clockSkew.serverTime(clock));
    Request.Builder builder = request.newBuilder().url(HttpUrl.get(signed.uri().toString()));
    builder.headers(okhttp3.Headers.of());
    for (SignableRequest.Header header : signed.headers()) {
      builder.addHeader(header.name(), header.value());
    }
    return builder.build();
  }

  private SignableRequest toSignable(Request request) throws IOException {
    SignableRequest.Builder builder = SignableRequest.builder(request.method(), URI.create(request.url().toString()));
    request.headers().forEach(pair -> builder.addHeader(pair.getFirst(), pair.getSecond()));
    RequestBody body = request.body();
    if (body != null) {
      addBodyHeaders(builder, request, body);
      if (body.contentLength() >= 0 && body.contentLength() <= maxBufferedBody) {
        Buffer buffer = new Buffer();
        body.writeTo(buffer);
        builder.body(buffer.readByteArray());
      }
    }
    return builder.build();
  }

  private static void addBodyHeaders(SignableRequest.Builder builder, Request request, RequestBody body) throws IOException {
    MediaType type = body.contentType();
    if (type != null && request.header("Content-Type") == null) {
      builder.addHeader("Content-Type", type.toString());
    }
    if (body.contentLength() >= 0 && request.header("Content-Length") == null) {
      builder.addHeader("Content-Length", Long.toString(body.contentLength()));
    }
  }

  private Request withBufferedBody(Request request) throws IOException {
    RequestBody body = request.body();
    if (body == null || body.contentLength() < 0 || body.contentLength() > maxBufferedBody || body.isOneShot()) {
      return request;
    }
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    return request.newBuilder().method(request.method(), RequestBody.create(buffer.readByteArray(), body.contentType())).build();
  }

  private void writeExchange(Request signed, int status, String requestId, C credential, RequestTarget target,
      String rule, long startedNanos, IOException failure) throws IOException {
    long sent = signed.body() == null ? 0 : Math.max(0, signed.body().contentLength());
    boolean success = status >= 200 && status < 400;
    StorageRequestEvent.Builder event = StorageRequestEvent.builder()
        .stamp(stamper.next())
        .identity(identity)
        .target(target.action().name(), target.resource())
        .request(signed.method(), signed.url().toString())
        .response(status, null, requestId)
        .outcome(success ? EventOutcome.SUCCESS : EventOutcome.FAILURE)
        .bytes(sent, 0)
        .duration(Duration.ofNanos(System.nanoTime() - startedNanos))
        .credential(credential.id(), credentials.name())
        .policyRule(rule);
    if (failure != null) {
      event.errorMessage(failure.toString());
    }
    write(event.build());
  }

  private static String requestIdOf(Response response) {
    for (String name : List.of("x-amz-request-id", "x-ms-request-id", "x-request-id")) {
      String value = response.header(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private void write(AuditEvent event) {
    audit.write(event);
  }

  /** Builder for {@link LatchkeyInterceptor}; not thread-safe. */
  public static final class Builder<C extends Credential> {
    private WorkloadIdentity identity;
    private CredentialCache<C> credentials;
    private RequestSigner<C> signer;
    private RequestClassifier classifier;
    private AccessPolicy policy;
    private final List<AuditSink> sinks = new ArrayList<>();
    private InstantSource clock = InstantSource.system();
    private ClockSkew clockSkew = ClockSkew.create();
    private long maxBufferedBody = 1024 * 1024;

    private Builder() {}

    /** Sets the identity the requests act as; required. */
    public Builder<C> identity(WorkloadIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Sets the cache that supplies credentials; required. */
    public Builder<C> credentials(CredentialCache<C> credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Sets the signer, such as a bearer-token, API-key or SigV4 signer; required. */
    public Builder<C> signer(RequestSigner<C> signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** Sets how requests map to actions and resources; required. */
    public Builder<C> classifier(RequestClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /** Sets the access policy; required. */
    public Builder<C> policy(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Adds an audit sink; with none, events go to the SLF4J logger {@code latchkey.audit}. */
    public Builder<C> auditSink(AuditSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** Sets the clock for policy decisions, audit events and signing; the system clock by default. */
    public Builder<C> clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the clock-skew estimate used for signing times; zero by default. */
    public Builder<C> clockSkew(ClockSkew clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /**
     * Sets the largest request body, in bytes, that is buffered for signing; 1 MiB by default.
     * Larger or streamed bodies are sent unbuffered, and the signer gets no body.
     */
    public Builder<C> maxBufferedBody(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("Invalid maxBufferedBody " + bytes + ": use 0 or more bytes");
      }
      this.maxBufferedBody = bytes;
      return this;
    }

    /**
     * Builds the interceptor.
     *
     * @throws IllegalStateException if the identity, credentials, signer, classifier or policy is missing
     */
    public LatchkeyInterceptor<C> build() {
      require(identity, "identity(WorkloadIdentity.of(\"name\"))");
      require(credentials, "credentials(cache)");
      require(signer, "signer(...)");
      require(classifier, "classifier(RequestClassifier.restPaths(\"scheme\"))");
      require(policy, "policy(...)");
      return new LatchkeyInterceptor<>(this);
    }

    private static void require(Object value, String call) {
      if (value == null) {
        throw new IllegalStateException("A Latchkey interceptor needs more configuration: call " + call);
      }
    }
  }
}
