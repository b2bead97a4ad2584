package dev.latchkey.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings that every grant provider's builder shares: the token endpoint and the {@code scope},
 * {@code audience} and {@code resource} parameters.
 *
 * <p>Only builders of this package extend it, each with its own type as {@code B}, so that every
 * setter returns that builder. Not thread-safe.
 *
 * @param <B> the builder type that the setters return
 */
abstract class GrantBuilder<B extends GrantBuilder<B>> {

  private TokenEndpoint endpoint;
  private final GrantOptions options = new GrantOptions();

  GrantBuilder() {}

  /** Sets the token endpoint that every request of the provider goes to. */
  public B tokenEndpoint(TokenEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    return self();
  }

  /**
   * Adds scopes to request, sent as one space-separated {@code scope} parameter.
   *
   * @throws IllegalArgumentException if a scope is blank or contains a space, quote or backslash
   */
  public B scopes(String... scopes) {
    options.addScopes(scopes);
    return self();
  }

  /**
   * Adds an {@code audience} parameter, the logical name of the service the token is for.
   *
   * @throws IllegalArgumentException if the audience is blank
   */
  public B audience(String audience) {
    options.addAudience(audience);
    return self();
  }

  /**
   * Adds a {@code resource} parameter (RFC 8707), the URI of the service the token is for.
   *
   * @throws IllegalArgumentException if it is not absolute or has a fragment
   */
  public B resource(URI resource) {
    options.addResource(resource);
    return self();
  }

  /** Returns the token endpoint, or {@code null} before {@link #tokenEndpoint} is called. */
  final TokenEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Returns the token endpoint.
   *
   * @param provider the provider's name for the message, such as {@code "A JWT bearer provider"}
   * @throws IllegalStateException if {@link #tokenEndpoint} was not called
   */
  final TokenEndpoint requireEndpoint(String provider) {
    if (endpoint == null) {
      throw new IllegalStateException(provider + " needs a token endpoint: call tokenEndpoint(...)");
    }
    return endpoint;
  }

  /** Returns the grant parameters with {@code grant_type} first and the scope, audience and resource added. */
  final Map<String, List<String>> parameters(String grantType) {
    return options.parameters(grantType);
  }

  @SuppressWarnings("unchecked") // Each subclass passes its own type as B.
  private B self() {
    return (B) this;
  }
}
