package dev.latchkey.auth;

import dev.latchkey.auth.internal.ClientAssertions;
import dev.latchkey.auth.internal.Durations;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Obtains access tokens with the JWT bearer grant (RFC 7523 section 2.1): a JWT is the grant.
 *
 * <p>The JWT is either issued elsewhere and read for every request ({@link
 * Builder#assertion(CredentialProvider)}, for example a {@link TokenFileProvider}), or signed here
 * for every request ({@link Builder#signedAssertion(SigningKey, String, String)}) with {@code aud}
 * set to the token endpoint URL, a random {@code jti}, and a short lifetime. Client authentication
 * is optional for this grant: the {@link TokenEndpoint} may have none. The same {@code scope},
 * {@code audience} and {@code resource} parameters are sent with every request. Thread-safe.
 */
public final class JwtBearerProvider implements CredentialProvider<AccessToken> {

  /** The {@code grant_type} of RFC 7523 section 2.1. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final TokenEndpoint endpoint;
  private final Map<String, List<String>> parameters;
  private final CredentialProvider<AccessToken> assertions;
  private final SigningKey signingKey;
  private final String issuer;
  private final String subject;
  private final Duration assertionLifetime;

  private JwtBearerProvider(Builder builder) {
    this.endpoint = builder.endpoint();
    this.parameters = builder.parameters(GRANT_TYPE);
    this.assertions = builder.assertions;
    this.signingKey = builder.signingKey;
    this.issuer = builder.issuer;
    this.subject = builder.subject;
    this.assertionLifetime = builder.assertionLifetime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Requests a new token with a fresh assertion.
   *
   * @throws OAuthErrorException if the server rejected the assertion ({@code invalid_grant}) or scope
   * @throws TokenEndpointException for timeouts, I/O failures, server errors and invalid responses
   * @throws dev.latchkey.credentials.CredentialException if the assertion source failed
   */
  @Override
  public AccessToken fetch() {
    Map<String, List<String>> request = new LinkedHashMap<>(parameters);
    request.put("assertion", List.of(assertion()));
    return endpoint.requestToken(request);
  }

  private String assertion() {
    if (assertions != null) {
      return assertions.fetch().token().reveal();
    }
    URI audience = endpoint.uri();
    return ClientAssertions.sign(signingKey, issuer, subject, audience.toString(), endpoint.clock().instant(),
        assertionLifetime, CLOCK_SKEW);
  }

  /** Returns {@code oauth2-jwt-bearer:} followed by the subject or the assertion source's name. */
  @Override
  public String name() {
    return "oauth2-jwt-bearer:" + (assertions != null ? assertions.name() : subject);
  }

  @Override
  public String toString() {
    return "JwtBearerProvider[" + endpoint + ", " + name() + "]";
  }

  /** Builder for {@link JwtBearerProvider}; not thread-safe. Set the endpoint and one assertion source. */
  public static final class Builder extends GrantBuilder<Builder> {
    private CredentialProvider<AccessToken> assertions;
    private SigningKey signingKey;
    private String issuer;
    private String subject;
    private Duration assertionLifetime = Duration.ofMinutes(1);

    private Builder() {}

    /** Takes the assertion from {@code assertions} for every request, such as a {@link TokenFileProvider}. */
    public Builder assertion(CredentialProvider<AccessToken> assertions) {
      this.assertions = Objects.requireNonNull(assertions, "assertions");
      return this;
    }

    /**
     * Signs a new assertion for every request with {@code iss} set to {@code issuer} and {@code sub}
     * set to {@code subject}.
     */
    public Builder signedAssertion(SigningKey signingKey, String issuer, String subject) {
      this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
      this.issuer = requireText("issuer", issuer);
      this.subject = requireText("subject", subject);
      return this;
    }

    /** Sets the lifetime of signed assertions, from 1 second to 10 minutes; default 1 minute. */
    public Builder assertionLifetime(Duration assertionLifetime) {
      this.assertionLifetime = Durations.checkRange("assertionLifetime", assertionLifetime,
          Duration.ofSeconds(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the endpoint is missing, or not exactly one assertion source is set
     */
    public JwtBearerProvider build() {
      requireEndpoint("A JWT bearer provider");
      if ((assertions == null) == (signingKey == null)) {
        throw new IllegalStateException("A JWT bearer provider needs exactly one of assertion(...) and signedAssertion(...)");
      }
      return new JwtBearerProvider(this);
    }

    private static String requireText(String option, String value) {
      Objects.requireNonNull(value, option);
      if (value.isBlank()) {
        throw new IllegalArgumentException("Invalid " + option + " '': it must not be blank");
      }
      return value;
    }
  }
}
