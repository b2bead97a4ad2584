package dev.latchkey.auth;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Obtains access tokens with OAuth 2.0 token exchange (RFC 8693): a subject token, and optionally
 * an actor token, are traded for a token for another audience or scope.
 *
 * <p>The subject token is fetched from its provider for every exchange: pass a {@link
 * TokenFileProvider} for a Kubernetes projected service-account token, which the kubelet rotates,
 * or another provider (a {@link dev.latchkey.credentials.CredentialCache} to reuse its token). The
 * same {@code scope}, {@code audience}, {@code resource} and {@code requested_token_type} are sent
 * with every request. Thread-safe.
 */
public final class TokenExchangeProvider implements CredentialProvider<AccessToken> {

  /** The {@code grant_type} of RFC 8693 section 2.1. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  /** Token type of an OAuth 2.0 access token (RFC 8693 section 3). */
  public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  /** Token type of a JWT (RFC 8693 section 3), such as a Kubernetes service-account token. */
  public static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
  /** Token type of an OpenID Connect ID token (RFC 8693 section 3). */
  public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

  private final TokenEndpoint endpoint;
  private final Map<String, List<String>> parameters;
  private final CredentialProvider<AccessToken> subjectTokens;
  private final String subjectTokenType;
  private final CredentialProvider<AccessToken> actorTokens;
  private final String actorTokenType;

  private TokenExchangeProvider(Builder builder) {
    Map<String, List<String>> fixed = builder.parameters(GRANT_TYPE);
    if (builder.requestedTokenType != null) {
      fixed.put("requested_token_type", List.of(builder.requestedTokenType));
    }
    this.endpoint = builder.endpoint();
    this.parameters = Map.copyOf(fixed);
    this.subjectTokens = builder.subjectTokens;
    this.subjectTokenType = builder.subjectTokenType;
    this.actorTokens = builder.actorTokens;
    this.actorTokenType = builder.actorTokenType;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Exchanges the current subject token for a new token.
   *
   * @throws OAuthErrorException if the server rejected the exchange, for example with {@code invalid_grant}
   * @throws TokenEndpointException for timeouts, I/O failures, server errors and invalid responses
   * @throws dev.latchkey.credentials.CredentialException if the subject or actor token source failed
   */
  @Override
  public AccessToken fetch() {
    Map<String, List<String>> request = new LinkedHashMap<>(parameters);
    request.put("subject_token", List.of(subjectTokens.fetch().token().reveal()));
    request.put("subject_token_type", List.of(subjectTokenType));
    if (actorTokens != null) {
      request.put("actor_token", List.of(actorTokens.fetch().token().reveal()));
      request.put("actor_token_type", List.of(actorTokenType));
    }
    return endpoint.requestToken(request);
  }

  /** Returns {@code oauth2-token-exchange:} followed by the subject token source's name. */
  @Override
  public String name() {
    return "oauth2-token-exchange:" + subjectTokens.name();
  }

  @Override
  public String toString() {
    return "TokenExchangeProvider[" + endpoint + ", subject=" + subjectTokens.name() + "]";
  }

  /** Builder for {@link TokenExchangeProvider}; not thread-safe. */
  public static final class Builder extends GrantBuilder<Builder> {
    private CredentialProvider<AccessToken> subjectTokens;
    private String subjectTokenType;
    private CredentialProvider<AccessToken> actorTokens;
    private String actorTokenType;
    private String requestedTokenType;

    private Builder() {}

    /**
     * Sets the source of the subject token and its type, such as {@link #JWT_TYPE} or {@link
     * #ACCESS_TOKEN_TYPE}.
     */
    public Builder subjectToken(CredentialProvider<AccessToken> subjectTokens, String tokenType) {
      this.subjectTokens = Objects.requireNonNull(subjectTokens, "subjectTokens");
      this.subjectTokenType = checkTokenType("subject token type", tokenType);
      return this;
    }

    /** Sets the source of the actor token, the party acting for the subject, and its type. */
    public Builder actorToken(CredentialProvider<AccessToken> actorTokens, String tokenType) {
      this.actorTokens = Objects.requireNonNull(actorTokens, "actorTokens");
      this.actorTokenType = checkTokenType("actor token type", tokenType);
      return this;
    }

    /** Sets the {@code requested_token_type}; by default the server chooses. */
    public Builder requestedTokenType(String tokenType) {
      this.requestedTokenType = checkTokenType("requested token type", tokenType);
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the endpoint or the subject token is missing
     */
    public TokenExchangeProvider build() {
      requireEndpoint("A token exchange provider");
      if (subjectTokens == null) {
        throw new IllegalStateException("A token exchange provider needs a subject token: call subjectToken(...)");
      }
      return new TokenExchangeProvider(this);
    }

    private static String checkTokenType(String option, String tokenType) {
      Objects.requireNonNull(tokenType, option);
      if (!URI.create(tokenType).isAbsolute()) {
        throw new IllegalArgumentException("Invalid " + option + " '" + tokenType
            + "': it must be an absolute URI such as " + JWT_TYPE);
      }
      return tokenType;
    }
  }
}
