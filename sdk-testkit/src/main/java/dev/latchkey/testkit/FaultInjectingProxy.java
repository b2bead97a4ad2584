package dev.latchkey.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP proxy on 127.0.0.1 that forwards to a real server (an issuer, an STS, a storage service)
 * and injects {@link Fault}s into some of the answers.
 *
 * <p>Faults come from a script and from a failure rate. A scripted fault ({@link #enqueue}) applies to
 * the next call, in order. Once the script is empty, each call fails with probability {@code
 * failureRate}, with a fault drawn from the configured list by a seeded random generator, so a run can
 * be repeated. Every other call is forwarded unchanged. Counters record the injected faults, in total
 * and by {@link Fault.Kind}.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class FaultInjectingProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingProxy.class);
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final HttpUrl upstream;
  private final double failureRate;
  private final boolean preserveHost;
  private final List<Fault> randomFaults;
  private final SplittableRandom random;
  private final Deque<Fault> script = new ArrayDeque<>();
  private final OkHttpClient client;
  private final MockWebServer server = new MockWebServer();
  private final ResettableServerSocketFactory sockets = new ResettableServerSocketFactory();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong injected = new AtomicLong();
  private final Map<Fault.Kind, AtomicLong> injectedByKind = new EnumMap<>(Fault.Kind.class);

  private FaultInjectingProxy(Builder builder) {
    this.upstream = builder.upstream;
    this.failureRate = builder.failureRate;
    this.preserveHost = builder.preserveHost;
    this.randomFaults = List.copyOf(builder.randomFaults);
    this.random = new SplittableRandom(builder.seed);
    this.client = new OkHttpClient.Builder()
        .followRedirects(false)
        .retryOnConnectionFailure(false)
        .build();
    for (Fault.Kind kind : Fault.Kind.values()) {
      injectedByKind.put(kind, new AtomicLong());
    }
  }

  /** Starts a builder for a proxy in front of {@code upstream}, such as an issuer's base URL. */
  public static Builder builder(HttpUrl upstream) {
    return new Builder(upstream);
  }

  /**
   * Returns the proxy's URL for a path of the upstream: {@code url("/oauth2/token")} reaches the
   * upstream's {@code /oauth2/token} through the proxy.
   */
  public HttpUrl url(String path) {
    return server.url(path);
  }

  /** Makes the next calls, one each and in order, answer with these faults. */
  public void enqueue(Fault... faults) {
    synchronized (script) {
      script.addAll(List.of(faults));
    }
  }

  /** Returns the number of calls forwarded unchanged. */
  public long forwardedCount() {
    return forwarded.get();
  }

  /** Returns the number of calls answered with, or altered by, a fault. */
  public long faultCount() {
    return injected.get();
  }

  /** Returns the number of calls that got a fault of this kind. */
  public long faultCount(Fault.Kind kind) {
    return injectedByKind.get(kind).get();
  }

  @Override
  public void close() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private FaultInjectingProxy start() throws IOException {
    server.setServerSocketFactory(sockets);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    LOG.info("Fault-injecting proxy on {} forwards to {}", server.url("/"), upstream);
    return this;
  }

  private MockResponse answer(RecordedRequest request) {
    Fault fault = nextFault();
    if (fault == null) {
      forwarded.incrementAndGet();
      return forward(request).build();
    }
    injected.incrementAndGet();
    injectedByKind.get(fault.kind()).incrementAndGet();
    LOG.debug("Injecting {} into {} {}", fault, request.getMethod(), request.getUrl().encodedPath());
    return inject(fault, request);
  }

  private Fault nextFault() {
    synchronized (script) {
      if (!script.isEmpty()) {
        return script.poll();
      }
      if (randomFaults.isEmpty() || random.nextDouble() >= failureRate) {
        return null;
      }
      return randomFaults.get(random.nextInt(randomFaults.size()));
    }
  }

  private MockResponse inject(Fault fault, RecordedRequest request) {
    return switch (fault.kind()) {
      case RESET_BEFORE_RESPONSE -> {
        resetOnClose(request);
        yield new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
      }
      case RESET_DURING_BODY -> {
        MockResponse.Builder answer = forward(request);
        resetOnClose(request);
        yield answer.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
      }
      case STATUS, TOO_MANY_REQUESTS -> {
        MockResponse answer = faultyResponse(fault, () -> forward(request));
        // A response to HEAD has no body. Sending one would make the client read it as the status
        // line of the next response on the same connection.
        yield request.getMethod().equals("HEAD") ? answer.newBuilder().body(new Buffer()).build() : answer;
      }
      default -> faultyResponse(fault, () -> forward(request));
    };
  }

  /**
   * Returns the response this proxy sends for {@code fault}, so that a MockWebServer dispatcher
   * playing a server no proxy can sit in front of (such as an instance metadata service) injects the
   * same faults. Faults that alter the server's response start from {@code normalResponse}, and the
   * others do not call it.
   *
   * @throws IllegalArgumentException for {@link Fault#resetBeforeResponse()} and {@link
   *     Fault#resetDuringBody()}, which only a running proxy can send
   */
  public static MockResponse faultyResponse(Fault fault, Supplier<MockResponse.Builder> normalResponse) {
    return switch (fault.kind()) {
      case STATUS -> errorAnswer(fault.status()).build();
      case TOO_MANY_REQUESTS -> tooManyRequests(fault.delay()).build();
      case SLOW_HEADERS -> normalResponse.get().headersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS).build();
      case SLOW_BODY -> slowBody(normalResponse.get(), fault.delay()).build();
      case MALFORMED_BODY -> new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "application/json").body("<html>not json").build();
      case TRUNCATED_BODY -> truncated(normalResponse.get()).build();
      case CONNECTION_RESET -> new MockResponse.Builder()
          .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
      case RESET_BEFORE_RESPONSE, RESET_DURING_BODY -> throw new IllegalArgumentException(
          "Fault " + fault + " needs the proxy's own sockets to send a TCP reset; inject it through a"
              + " FaultInjectingProxy, or use Fault.connectionReset() in a MockWebServer dispatcher");
      case OVERSIZED_BODY -> new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "application/json").body(repeated(fault.size())).build();
      case WRONG_CONTENT_TYPE -> normalResponse.get().setHeader("Content-Type", "text/html").build();
      case DUPLICATE_HEADERS -> duplicated(normalResponse.get()).build();
    };
  }

  /** Makes the connection of {@code request} end with a TCP RST when the response's effect closes it. */
  private void resetOnClose(RecordedRequest request) {
    try {
      sockets.resetOnClose(request.getConnectionIndex());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot set SO_LINGER on connection " + request.getConnectionIndex(), e);
    }
  }

  private MockResponse.Builder forward(RecordedRequest request) {
    HttpUrl target = upstream.newBuilder()
        .encodedPath(request.getUrl().encodedPath())
        .encodedQuery(request.getUrl().encodedQuery())
        .build();
    Request.Builder outgoing = new Request.Builder().url(target).method(request.getMethod(), bodyOf(request));
    Headers headers = request.getHeaders();
    for (int i = 0; i < headers.size(); i++) {
      if (!isHopByHop(headers.name(i))) {
        outgoing.addHeader(headers.name(i), headers.value(i));
      }
    }
    if (preserveHost && request.getHeaders().get("Host") != null) {
      outgoing.header("Host", request.getHeaders().get("Host"));
    }
    try (Response response = client.newCall(outgoing.build()).execute()) {
      return copyOf(response);
    } catch (IOException e) {
      LOG.warn("Upstream {} failed: {}; answering 502", target.redact(), e.toString());
      return errorAnswer(502);
    }
  }

  private static RequestBody bodyOf(RecordedRequest request) {
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return null;
    }
    byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    String contentType = request.getHeaders().get("Content-Type");
    return RequestBody.create(bytes, contentType == null ? OCTET_STREAM : MediaType.get(contentType));
  }

  private static MockResponse.Builder copyOf(Response response) throws IOException {
    MockResponse.Builder answer = new MockResponse.Builder().code(response.code());
    Headers headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      if (!isHopByHop(headers.name(i))) {
        answer.addHeader(headers.name(i), headers.value(i));
      }
    }
    return answer.body(new Buffer().write(response.body().bytes()));
  }

  private static boolean isHopByHop(String name) {
    return name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Connection")
        || name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Keep-Alive")
        || name.equalsIgnoreCase("Content-Length");
  }

  private static MockResponse.Builder errorAnswer(int status) {
    return new MockResponse.Builder().code(status)
        .setHeader("Content-Type", "application/json")
        .body("{\"error\":\"temporarily_unavailable\",\"error_description\":\"injected fault\"}");
  }

  private static MockResponse.Builder tooManyRequests(Duration retryAfter) {
    MockResponse.Builder answer = errorAnswer(429);
    if (retryAfter != null) {
      answer.setHeader("Retry-After", Long.toString(Math.max(0, retryAfter.toSeconds())));
    }
    return answer;
  }

  private static MockResponse.Builder slowBody(MockResponse.Builder answer, Duration total) {
    long length = Math.max(1, answer.getBody() == null ? 1 : answer.getBody().getContentLength());
    long chunks = Math.min(length, 10);
    long periodMillis = Math.max(1, total.toMillis() / chunks);
    return answer.throttleBody(Math.max(1, length / chunks), periodMillis, TimeUnit.MILLISECONDS);
  }

  private static MockResponse.Builder truncated(MockResponse.Builder answer) {
    Buffer full = new Buffer();
    try {
      if (answer.getBody() != null) {
        answer.getBody().writeTo(full);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot copy an in-memory body", e);
    }
    long fullLength = Math.max(2, full.size());
    Buffer half = new Buffer();
    full.read(half, Math.min(full.size(), fullLength / 2));
    return answer.body(half)
        .setHeader("Content-Length", Long.toString(fullLength))
        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE);
  }

  private static MockResponse.Builder duplicated(MockResponse.Builder answer) {
    Headers headers = answer.getHeaders();
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.name(i).equalsIgnoreCase("Content-Length")) {
        answer.addHeader(headers.name(i), headers.value(i));
      }
    }
    return answer;
  }

  private static MockResponseBody repeated(long size) {
    return new MockResponseBody() {
      @Override
      public long getContentLength() {
        return size;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        byte[] block = new byte[8192];
        java.util.Arrays.fill(block, (byte) 'a');
        for (long left = size; left > 0; left -= block.length) {
          sink.write(block, 0, (int) Math.min(block.length, left));
        }
      }
    };
  }

  /** Builder for {@link FaultInjectingProxy}; not thread-safe. */
  public static final class Builder {
    private final HttpUrl upstream;
    private double failureRate;
    private final List<Fault> randomFaults = new ArrayList<>();
    private long seed = 1;
    private boolean preserveHost;

    private Builder(HttpUrl upstream) {
      Objects.requireNonNull(upstream, "upstream");
      String host = upstream.host();
      if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
        throw new IllegalArgumentException(
            "Invalid upstream " + upstream.redact() + ": the proxy forwards only to loopback servers");
      }
      this.upstream = upstream;
    }

    /**
     * Sets the share of unscripted calls that fail, from 0 (none, the default) to 1 (all), with a
     * fault drawn from {@code faults}.
     */
    public Builder failureRate(double failureRate, Fault... faults) {
      if (!(failureRate >= 0 && failureRate <= 1)) {
        throw new IllegalArgumentException("Invalid failure rate " + failureRate + ": use 0 to 1");
      }
      if (failureRate > 0 && faults.length == 0) {
        throw new IllegalArgumentException("A failure rate of " + failureRate + " needs at least one fault to inject");
      }
      this.failureRate = failureRate;
      this.randomFaults.clear();
      this.randomFaults.addAll(List.of(faults));
      return this;
    }

    /**
     * Sets whether the client's {@code Host} header is forwarded unchanged; false by default, so the
     * upstream sees its own address. Set it for upstreams that check a signature over the host, such
     * as S3 with AWS Signature Version 4.
     */
    public Builder preserveHost(boolean preserveHost) {
      this.preserveHost = preserveHost;
      return this;
    }

    /** Sets the seed of the generator that decides which calls fail; 1 by default. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Starts the proxy on 127.0.0.1 with an ephemeral port.
     *
     * @throws IOException if the port cannot be bound
     */
    public FaultInjectingProxy start() throws IOException {
      return new FaultInjectingProxy(this).start();
    }
  }
}
