package dev.latchkey.auth;

import dev.latchkey.auth.internal.Durations;
import dev.latchkey.auth.internal.Endpoints;
import dev.latchkey.auth.internal.MetadataClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Provider metadata of an issuer (OpenID Connect Discovery 1.0 section 4), read from
 * {@code ISSUER/.well-known/openid-configuration} and cached.
 *
 * <p>The document is fetched on first use and again once the cache duration has passed. Its
 * {@code issuer} member must equal the configured issuer, and the endpoints it names must be HTTPS
 * (or HTTP to a loopback address). If fetching again fails while an earlier document is held, the
 * earlier one is kept and the failure is logged. Thread-safe.
 */
public final class OidcDiscovery {

  /** Default time a fetched document is used before it is fetched again: 1 hour. */
  public static final Duration DEFAULT_CACHE_DURATION = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(OidcDiscovery.class);

  private final URI issuer;
  private final Duration cacheDuration;
  private final InstantSource clock;
  private final MetadataClient client;
  private volatile Cached cached;

  private OidcDiscovery(Builder builder) {
    this.issuer = builder.issuer;
    this.cacheDuration = builder.cacheDuration;
    this.clock = builder.clock;
    this.client = new MetadataClient(builder.httpClient != null ? builder.httpClient : new OkHttpClient());
  }

  public static Builder builder() {
    return new Builder();
  }

  public URI issuer() {
    return issuer;
  }

  /**
   * Returns the {@code token_endpoint} of the metadata.
   *
   * @throws dev.latchkey.credentials.CredentialException if the metadata cannot be fetched, or has
   *     no valid {@code token_endpoint}
   */
  public URI tokenEndpoint() {
    return endpoint("token_endpoint").orElseThrow(() -> new TokenEndpointException(
        "OpenID Provider metadata of " + Endpoints.describe(issuer) + " has no token_endpoint", null, false, 200, null));
  }

  /** Returns the {@code jwks_uri} of the metadata, if it names one. */
  public Optional<URI> jwksUri() {
    return endpoint("jwks_uri");
  }

  /** Returns the whole metadata document; unmodifiable. */
  public Map<String, Object> metadata() {
    return current().metadata();
  }

  private Optional<URI> endpoint(String member) {
    Object value = metadata().get(member);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Endpoints.checkSecure(member + " of " + Endpoints.describe(issuer), URI.create(value.toString())));
    } catch (IllegalArgumentException e) {
      throw new TokenEndpointException("Invalid OpenID Provider metadata of " + Endpoints.describe(issuer)
          + ": " + e.getMessage(), e, false, 200, null);
    }
  }

  private Cached current() {
    Cached current = cached;
    Instant now = clock.instant();
    if (current != null && now.isBefore(current.fetchedAt().plus(cacheDuration))) {
      return current;
    }
    return refresh(current, now);
  }

  private synchronized Cached refresh(Cached seen, Instant now) {
    if (cached != seen) {
      return cached;
    }
    try {
      cached = new Cached(client.fetch(issuer), now);
      log.debug("Fetched OpenID Provider metadata of {}", Endpoints.describe(issuer));
    } catch (RuntimeException e) {
      if (seen == null) {
        throw e;
      }
      log.warn("Fetching OpenID Provider metadata of {} failed; keeping the document fetched at {}: {}",
          Endpoints.describe(issuer), seen.fetchedAt(), e.getMessage());
    }
    return cached;
  }

  @Override
  public String toString() {
    return "OidcDiscovery[" + Endpoints.describe(issuer) + "]";
  }

  private record Cached(Map<String, Object> metadata, Instant fetchedAt) {}

  /** Builder for {@link OidcDiscovery}; not thread-safe. */
  public static final class Builder {
    private URI issuer;
    private Duration cacheDuration = DEFAULT_CACHE_DURATION;
    private InstantSource clock = InstantSource.system();
    private OkHttpClient httpClient;

    private Builder() {}

    /**
     * Sets the issuer identifier, such as {@code https://login.example.com/tenant}.
     *
     * @throws IllegalArgumentException if it is not HTTPS, or HTTP to a loopback address
     */
    public Builder issuer(URI issuer) {
      this.issuer = Endpoints.checkSecure("issuer", issuer);
      return this;
    }

    /** Sets how long a fetched document is used, from 1 second to 1 day; default 1 hour. */
    public Builder cacheDuration(Duration cacheDuration) {
      this.cacheDuration = Durations.checkRange("cacheDuration", cacheDuration, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the OkHttp client to derive from; redirects are switched off on the derived client. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Builds the discovery client; nothing is fetched until first use.
     *
     * @throws IllegalStateException if the issuer is missing
     */
    public OidcDiscovery build() {
      if (issuer == null) {
        throw new IllegalStateException("OIDC discovery needs the issuer: call issuer(URI)");
      }
      return new OidcDiscovery(this);
    }
  }
}
