package dev.latchkey.auth;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Obtains access tokens with the OAuth 2.0 client credentials grant (RFC 6749 section 4.4).
 *
 * <p>Each {@link #fetch()} sends one token request to the endpoint, with the client authentication
 * of the {@link TokenEndpoint} and the same {@code scope}, {@code audience} and {@code resource}
 * parameters every time. Wrap the provider in a {@link dev.latchkey.credentials.CredentialCache} to
 * share one token and refresh it before it expires.
 *
 * <pre>{@code
 * TokenEndpoint endpoint = TokenEndpoint.builder()
 *     .uri(URI.create("https://login.example.com/oauth2/token"))
 *     .clientAuthentication(ClientAuthentication.clientSecretBasic("billing-exporter", secret))
 *     .build();
 * ClientCredentialsProvider provider = ClientCredentialsProvider.builder()
 *     .tokenEndpoint(endpoint)
 *     .scopes("storage.read")
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ClientCredentialsProvider implements CredentialProvider<AccessToken> {

  private final TokenEndpoint endpoint;
  private final Map<String, List<String>> parameters;
  private final String name;

  private ClientCredentialsProvider(Builder builder) {
    this.endpoint = builder.endpoint();
    this.parameters = builder.parameters("client_credentials");
    this.name = "oauth2-client-credentials:" + endpoint.clientAuthentication().orElseThrow().clientId();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Requests a new token.
   *
   * @throws OAuthErrorException if the server rejected the client or the scope
   * @throws TokenEndpointException for timeouts, I/O failures, server errors and invalid responses
   */
  @Override
  public AccessToken fetch() {
    return endpoint.requestToken(parameters);
  }

  /** Returns {@code oauth2-client-credentials:} followed by the client id. */
  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "ClientCredentialsProvider[" + endpoint + ", parameters=" + parameters.keySet() + "]";
  }

  /**
   * Builder for {@link ClientCredentialsProvider}; not thread-safe. The token endpoint must have
   * client authentication.
   */
  public static final class Builder extends GrantBuilder<Builder> {

    private Builder() {}

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the endpoint is missing or has no client authentication
     */
    public ClientCredentialsProvider build() {
      TokenEndpoint endpoint = requireEndpoint("A client credentials provider");
      if (endpoint.clientAuthentication().isEmpty()) {
        throw new IllegalStateException("The client credentials grant needs client authentication: build the"
            + " token endpoint with clientAuthentication(...)");
      }
      return new ClientCredentialsProvider(this);
    }
  }
}
