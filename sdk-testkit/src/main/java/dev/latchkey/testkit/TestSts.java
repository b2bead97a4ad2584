package dev.latchkey.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.testkit.internal.StsXmlWriter;
import dev.latchkey.testkit.internal.WebIdentityVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small AWS STS for tests: it serves the Query API actions {@code AssumeRoleWithWebIdentity} and
 * {@code AssumeRole} on 127.0.0.1 and an ephemeral port, and issues temporary credentials that
 * really expire, by an injected clock.
 *
 * <p>{@code AssumeRoleWithWebIdentity} accepts a JWT only if its signature verifies against the JWK
 * Set of a {@linkplain Builder#trustIssuer trusted issuer}, its {@code iss} is that issuer, its {@code
 * aud} contains the configured audience and its {@code exp} is in the future.
 *
 * <p>{@code AssumeRole} accepts a request whose SigV4 {@code Authorization} header names an access key
 * id that this STS issued and that has not expired, or a {@linkplain Builder#rootKey root key}.
 * <b>Note:</b> it does not verify the signature itself, because the testkit does not depend on the
 * SigV4 signer in {@code latchkey-s3}; a client that signs wrongly is caught by S3Proxy in the
 * storage requests, not here.
 *
 * <p>{@link #blobStoreLocator(BlobStore)} gives S3Proxy a locator that accepts only keys issued
 * here, only until they expire, and only for what the session policy allows.
 *
 * <p>Thread-safe. {@link #close()} stops the server.
 */
public final class TestSts implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TestSts.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private final HttpServer server;
  private final ExecutorService executor;
  private final InstantSource clock;
  private final Duration defaultLifetime;
  private final Map<String, String> rootKeys;
  private final List<WebIdentityVerifier> issuers;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, IssuedCredentials> issued = new ConcurrentHashMap<>();
  private final List<IssuedCredentials> issuedInOrder = new CopyOnWriteArrayList<>();
  private final List<ExpiredKeyUse> expiredKeyUses = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();

  private TestSts(Builder builder) throws IOException {
    this.clock = builder.clock;
    this.defaultLifetime = builder.defaultLifetime;
    this.rootKeys = Map.copyOf(builder.rootKeys);
    this.issuers = List.copyOf(builder.issuers);
    this.executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "test-sts");
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    log.debug("Test STS started on {}", endpoint());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the endpoint, {@code http://127.0.0.1:PORT/}, for the STS client's endpoint option. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Returns every credential issued so far, oldest first. */
  public List<IssuedCredentials> issued() {
    return List.copyOf(issuedInOrder);
  }

  /** Returns the credentials issued with this access key id. */
  public Optional<IssuedCredentials> find(String accessKeyId) {
    return Optional.ofNullable(issued.get(accessKeyId));
  }

  /** Returns every request S3Proxy received with an expired key issued here, oldest first. */
  public List<ExpiredKeyUse> expiredKeyUses() {
    return List.copyOf(expiredKeyUses);
  }

  /**
   * Makes the next {@code count} requests fail with an STS error, for example {@code 400 Throttling}
   * or {@code 503 ServiceUnavailable}, before any other check.
   */
  public void failNext(int count, int httpStatus, String errorCode) {
    synchronized (faults) {
      for (int i = 0; i < count; i++) {
        faults.add(new Fault(httpStatus, errorCode));
      }
    }
  }

  /**
   * Returns a locator for S3Proxy that accepts the root keys, and keys issued here until they expire,
   * serving {@code store} through the session policy of each key. An expired key is recorded in
   * {@link #expiredKeyUses()} and rejected.
   */
  public BlobStoreLocator blobStoreLocator(BlobStore store) {
    return new IssuedKeyLocator(this, store);
  }

  InstantSource clock() {
    return clock;
  }

  Map<String, String> rootKeys() {
    return rootKeys;
  }

  void recordExpiredUse(ExpiredKeyUse use) {
    expiredKeyUses.add(use);
    log.info("S3 request with expired key {} for {}/{}, {} after its expiry",
        use.accessKeyId(), use.bucket(), use.key(), use.expiredFor());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    log.debug("Test STS on {} stopped", endpoint());
  }

  @Override
  public String toString() {
    return "TestSts[endpoint=" + endpoint() + ", issued=" + issuedInOrder.size() + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Reply reply = reply(exchange);
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      exchange.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private Reply reply(HttpExchange exchange) throws IOException {
    Fault fault = nextFault();
    if (fault != null) {
      return error(fault.status(), fault.code(), "Injected fault");
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      return error(405, "InvalidAction", "Use POST with a form body");
    }
    String action = "";
    try {
      Map<String, String> form = parseForm(readBody(exchange.getRequestBody()));
      action = form.getOrDefault("Action", "");
      return switch (action) {
        case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(form);
        case "AssumeRole" -> assumeRole(form, exchange.getRequestHeaders().getFirst("Authorization"));
        default -> error(400, "InvalidAction", "Unsupported action '" + action + "'");
      };
    } catch (StsError e) {
      log.debug("Test STS rejected {}: {} {}", action, e.code, e.getMessage());
      return error(e.status, e.code, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Test STS failed on {}", action, e);
      return error(500, "InternalFailure", "The test STS failed: " + e.getClass().getSimpleName());
    }
  }

  private Reply assumeRoleWithWebIdentity(Map<String, String> form) {
    String roleArn = required(form, "RoleArn");
    String sessionName = required(form, "RoleSessionName");
    String token = required(form, "WebIdentityToken");
    if (issuers.isEmpty()) {
      throw new StsError(400, "InvalidIdentityToken", "No OpenID Connect provider is trusted");
    }

    String subject = verifyWebIdentity(token);
    IssuedCredentials credentials = issue("AssumeRoleWithWebIdentity", form, roleArn, sessionName, subject);
    return new Reply(200, StsXmlWriter.success("AssumeRoleWithWebIdentity", credentials));
  }

  private Reply assumeRole(Map<String, String> form, String authorization) {
    String roleArn = required(form, "RoleArn");
    String sessionName = required(form, "RoleSessionName");
    String signingKey = signingAccessKeyId(authorization);
    if (!rootKeys.containsKey(signingKey)) {
      IssuedCredentials signer = issued.get(signingKey);
      if (signer == null) {
        throw new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid");
      }
      if (signer.isExpiredAt(clock.instant())) {
        throw new StsError(400, "ExpiredToken", "The security token included in the request is expired");
      }
    }

    IssuedCredentials credentials = issue("AssumeRole", form, roleArn, sessionName, signingKey);
    return new Reply(200, StsXmlWriter.success("AssumeRole", credentials));
  }

  private String verifyWebIdentity(String token) {
    List<String> failures = new ArrayList<>();
    for (WebIdentityVerifier issuer : issuers) {
      try {
        return issuer.verify(token, clock.instant());
      } catch (WebIdentityVerifier.RejectedTokenException e) {
        if (e.expired()) {
          throw new StsError(400, "ExpiredTokenException", e.getMessage());
        }
        failures.add(e.getMessage());
      }
    }
    throw new StsError(400, "InvalidIdentityToken", String.join("; ", failures));
  }

  private IssuedCredentials issue(
      String action, Map<String, String> form, String roleArn, String sessionName, String subject) {
    Duration lifetime = lifetime(form.get("DurationSeconds"));
    Instant now = clock.instant();
    IssuedCredentials credentials = new IssuedCredentials(
        "ASIA" + randomText(16), randomText(40), randomText(64), now, now.plus(lifetime), action, roleArn,
        sessionName, subject, Optional.ofNullable(form.get("Policy")));
    if (credentials.policy().isPresent()) {
      try {
        SessionPolicy.parse(credentials.policy().get());
      } catch (IllegalArgumentException e) {
        throw new StsError(400, "MalformedPolicyDocument", e.getMessage());
      }
    }

    issued.put(credentials.accessKeyId(), credentials);
    issuedInOrder.add(credentials);
    log.debug("Test STS issued {}", credentials);
    return credentials;
  }

  private Duration lifetime(String durationSeconds) {
    if (durationSeconds == null) {
      return defaultLifetime;
    }
    try {
      long seconds = Long.parseLong(durationSeconds);
      if (seconds < 1 || seconds > 43_200) {
        throw new StsError(400, "ValidationError", "DurationSeconds must be from 1 to 43200");
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new StsError(400, "ValidationError", "DurationSeconds is not a number");
    }
  }

  private static String signingAccessKeyId(String authorization) {
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      throw new StsError(400, "MissingAuthenticationToken", "AssumeRole needs a SigV4 Authorization header");
    }
    Matcher matcher = CREDENTIAL_SCOPE.matcher(authorization);
    if (!matcher.find()) {
      throw new StsError(400, "IncompleteSignature", "The Authorization header has no Credential");
    }
    return matcher.group(1);
  }

  private String randomText(int length) {
    char[] text = new char[length];
    for (int i = 0; i < length; i++) {
      text[i] = KEY_ALPHABET[random.nextInt(KEY_ALPHABET.length)];
    }
    return new String(text);
  }

  private Fault nextFault() {
    synchronized (faults) {
      return faults.poll();
    }
  }

  private static String required(Map<String, String> form, String name) {
    String value = form.get(name);
    if (value == null || value.isEmpty()) {
      throw new StsError(400, "MissingParameter", "The request must contain the parameter " + name);
    }
    return value;
  }

  private static Reply error(int status, String code, String message) {
    return new Reply(status, StsXmlWriter.error(code, message));
  }

  private static String readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new StsError(400, "ValidationError", "The request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }

  private record Reply(int status, String body) {}

  private record Fault(int status, String code) {}

  /** An STS error response, thrown from the checks and turned into an ErrorResponse. */
  private static final class StsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    StsError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** Builder for {@link TestSts}; not thread-safe. */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private Duration defaultLifetime = Duration.ofHours(1);
    private final Map<String, String> rootKeys = new HashMap<>();
    private final List<WebIdentityVerifier> issuers = new ArrayList<>();

    private Builder() {}

    /** Sets the clock that issue times and expiry checks use; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the lifetime of credentials issued without {@code DurationSeconds}; default 1 hour. Unlike
     * AWS STS, which allows 15 minutes at least, any positive lifetime is accepted, so tests can watch
     * credentials expire within seconds.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder defaultLifetime(Duration lifetime) {
      if (Objects.requireNonNull(lifetime, "defaultLifetime").isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("Invalid defaultLifetime " + lifetime + ": it must be positive");
      }
      this.defaultLifetime = lifetime;
      return this;
    }

    /**
     * Adds a long-term key that may sign {@code AssumeRole} requests and that the S3Proxy locator
     * accepts with full access.
     */
    public Builder rootKey(String accessKeyId, String secretAccessKey) {
      rootKeys.put(requireText(accessKeyId, "accessKeyId"), requireText(secretAccessKey, "secretAccessKey"));
      return this;
    }

    /**
     * Trusts an OpenID Connect issuer for {@code AssumeRoleWithWebIdentity}: tokens must carry this
     * {@code iss}, contain {@code audience} in {@code aud}, and be signed by a key of the JWK Set at
     * {@code jwksUri}, which is fetched on every request so key rotation is seen at once.
     *
     * @throws IllegalArgumentException if {@code jwksUri} is not http to a loopback address or https
     */
    public Builder trustIssuer(String issuer, URI jwksUri, String audience) {
      issuers.add(new WebIdentityVerifier(
          requireText(issuer, "issuer"), Objects.requireNonNull(jwksUri, "jwksUri"), requireText(audience, "audience")));
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws IllegalStateException if the server cannot bind to 127.0.0.1
     */
    public TestSts start() {
      try {
        return new TestSts(this);
      } catch (IOException e) {
        throw new IllegalStateException("Failed to start the test STS on 127.0.0.1", e);
      }
    }

    private static String requireText(String value, String option) {
      Objects.requireNonNull(value, option);
      if (value.isBlank()) {
        throw new IllegalArgumentException("Invalid " + option + " '': it must not be blank");
      }
      return value;
    }
  }
}
