package dev.latchkey.auth;

import dev.latchkey.auth.internal.Durations;
import dev.latchkey.auth.internal.Endpoints;
import dev.latchkey.auth.internal.TokenEndpointClient;
import dev.latchkey.credentials.AccessToken;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * An OAuth 2.0 token endpoint and how to call it: its URL (given, or found by OIDC discovery), the
 * client authentication, HTTP timeouts and response limits. The grant providers ({@link
 * ClientCredentialsProvider}, {@link JwtBearerProvider}, {@link TokenExchangeProvider}) send their
 * requests through one.
 *
 * <p>Rules every request follows: the URL is HTTPS, or HTTP to a loopback address; redirects are
 * never followed; at most {@link Builder#maxResponseBytes(int)} bytes of a response are read; and
 * no secret, assertion or token appears in a log line or exception message. Instances are immutable
 * and thread-safe.
 */
public final class TokenEndpoint {

  /** Default time to establish a connection: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default time to wait for each read from the server: 10 seconds. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  /** Default limit on a whole request, from connecting to reading the body: 30 seconds. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Default lifetime of a token whose response gives no expiry: 10 minutes. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(10);
  /** Default limit on the size of a response body: 1 MiB. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

  private final URI uri;
  private final OidcDiscovery discovery;
  private final ClientAuthentication clientAuthentication;
  private final InstantSource clock;
  private final TokenEndpointClient client;

  private TokenEndpoint(Builder builder, OkHttpClient httpClient) {
    this.uri = builder.uri;
    this.discovery = builder.discovery;
    this.clientAuthentication = builder.clientAuthentication;
    this.clock = builder.clock;
    this.client = new TokenEndpointClient(clientAuthentication, httpClient, clock, builder.defaultLifetime,
        builder.maxResponseBytes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the token endpoint URL; with discovery, the one the issuer's metadata names (fetched on
   * first use and cached).
   *
   * @throws dev.latchkey.credentials.CredentialException if discovery fails
   */
  public URI uri() {
    return uri != null ? uri : discovery.tokenEndpoint();
  }

  /** Returns the client authentication; empty for a public client. */
  public Optional<ClientAuthentication> clientAuthentication() {
    return Optional.ofNullable(clientAuthentication);
  }

  /** Returns the clock that times requests and client assertions. */
  public InstantSource clock() {
    return clock;
  }

  /**
   * Sends one token request: {@code grantParameters} (which must include {@code grant_type}) plus
   * the client authentication. Each parameter name maps to its values, sent in order, since {@code
   * resource} and {@code audience} may repeat (RFC 8707, RFC 8693). The {@code scope} and the first
   * {@code audience}, when present, also fill in the token's scopes (if the response names none)
   * and audience.
   *
   * @throws OAuthErrorException if the server rejected the request with an OAuth 2.0 error
   * @throws TokenEndpointException for timeouts, I/O failures, 5xx, 429, other statuses and invalid
   *     responses; {@link TokenEndpointException#isRetryable()} shows which
   * @throws IllegalArgumentException if {@code grant_type} is missing
   */
  public AccessToken requestToken(Map<String, List<String>> grantParameters) {
    Objects.requireNonNull(grantParameters, "grantParameters");
    if (!grantParameters.containsKey("grant_type")) {
      throw new IllegalArgumentException("A token request needs the parameter 'grant_type'");
    }
    return client.requestToken(uri(), grantParameters);
  }

  @Override
  public String toString() {
    String target = uri != null ? Endpoints.describe(uri) : "discovered from " + discovery;
    return "TokenEndpoint[" + target + ", " + (clientAuthentication == null ? "public client" : clientAuthentication) + "]";
  }

  /** Builder for {@link TokenEndpoint}; not thread-safe. Set either {@link #uri(URI)} or {@link #discovery(OidcDiscovery)}. */
  public static final class Builder {
    private URI uri;
    private OidcDiscovery discovery;
    private ClientAuthentication clientAuthentication;
    private OkHttpClient httpClient;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private InstantSource clock = InstantSource.system();
    private Duration defaultLifetime = DEFAULT_TOKEN_LIFETIME;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

    private Builder() {}

    /**
     * Sets the token endpoint URL.
     *
     * @throws IllegalArgumentException if it is not HTTPS, or HTTP to a loopback address
     */
    public Builder uri(URI uri) {
      this.uri = Endpoints.checkSecure("token endpoint", uri);
      return this;
    }

    /** Finds the token endpoint URL in the issuer's OpenID Provider metadata instead of setting it. */
    public Builder discovery(OidcDiscovery discovery) {
      this.discovery = Objects.requireNonNull(discovery, "discovery");
      return this;
    }

    /** Sets how the client authenticates; without it, requests carry no client credentials. */
    public Builder clientAuthentication(ClientAuthentication clientAuthentication) {
      this.clientAuthentication = Objects.requireNonNull(clientAuthentication, "clientAuthentication");
      return this;
    }

    /**
     * Sets the OkHttp client to derive the token client from, to share its connection pool,
     * dispatcher, proxy or trust settings. Redirects are switched off and the timeouts of this
     * builder are applied on the derived client; {@code httpClient} itself is not changed.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the time to establish a connection, from 1 millisecond to 5 minutes; default 5 seconds. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Durations.checkRange("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(5));
      return this;
    }

    /** Sets the time to wait for each read, from 1 millisecond to 5 minutes; default 10 seconds. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Durations.checkRange("readTimeout", readTimeout, Duration.ofMillis(1), Duration.ofMinutes(5));
      return this;
    }

    /** Sets the limit on a whole request, from 1 millisecond to 10 minutes; default 30 seconds. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = Durations.checkRange("callTimeout", callTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /** Sets the clock for token expiry and client assertion times; default the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the lifetime given to a token whose response has no {@code expires_in}, from 1 second to
     * 1 day; default 10 minutes. Such a response is logged as a warning.
     */
    public Builder defaultLifetime(Duration defaultLifetime) {
      this.defaultLifetime = Durations.checkRange("defaultLifetime", defaultLifetime, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    /** Sets the largest response body read, in bytes, from 1 KiB to 16 MiB; default 1 MiB. */
    public Builder maxResponseBytes(int maxResponseBytes) {
      if (maxResponseBytes < 1024 || maxResponseBytes > 16 << 20) {
        throw new IllegalArgumentException("Invalid maxResponseBytes " + maxResponseBytes
            + ": it must be from 1024 to 16777216");
      }
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /**
     * Builds the endpoint.
     *
     * @throws IllegalStateException if neither or both of a URL and discovery are set
     */
    public TokenEndpoint build() {
      if ((uri == null) == (discovery == null)) {
        throw new IllegalStateException("A token endpoint needs exactly one of uri(...) and discovery(...)");
      }
      return new TokenEndpoint(this, tokenHttpClient());
    }

    private OkHttpClient tokenHttpClient() {
      OkHttpClient base = httpClient != null ? httpClient : new OkHttpClient();
      return base.newBuilder()
          .followRedirects(false)
          .followSslRedirects(false)
          .connectTimeout(connectTimeout)
          .readTimeout(readTimeout)
          .callTimeout(callTimeout)
          .build();
    }
  }
}
