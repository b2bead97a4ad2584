package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An OAuth 2.0 access token (RFC 6749) and what the issuer said about it.
 *
 * <p>{@link #id()} is {@code sha256:} followed by a short fingerprint of the token, never the token.
 * The token type is kept as the issuer wrote it and compared without case by {@link #isBearer()}.
 */
public final class AccessToken implements Credential {

  private final SecretValue token;
  private final String tokenType;
  private final Set<String> scopes;
  private final String audience;
  private final Instant expiresAt;
  private final Instant refreshAt;

  private AccessToken(Builder builder) {
    this.token = builder.token;
    this.tokenType = builder.tokenType;
    this.scopes = Set.copyOf(builder.scopes);
    this.audience = builder.audience;
    this.expiresAt = builder.expiresAt;
    this.refreshAt = builder.refreshAt;
  }

  /** Creates a bearer token with the given expiry. */
  public static AccessToken bearer(SecretValue token, Instant expiresAt) {
    return builder().token(token).expiresAt(expiresAt).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public SecretValue token() {
    return token;
  }

  /** Returns the token type as the issuer wrote it, {@code Bearer} by default. */
  public String tokenType() {
    return tokenType;
  }

  /** Returns whether the token type is {@code Bearer}, compared without case. */
  public boolean isBearer() {
    return tokenType.toLowerCase(Locale.ROOT).equals("bearer");
  }

  /** Returns the scopes the issuer granted, or those requested when it did not say; may be empty. */
  public Set<String> scopes() {
    return scopes;
  }

  public Optional<String> audience() {
    return Optional.ofNullable(audience);
  }

  @Override
  public String id() {
    return "sha256:" + token.fingerprint();
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public Optional<Instant> refreshAt() {
    return Optional.ofNullable(refreshAt);
  }

  @Override
  public String toString() {
    return "AccessToken[id=" + id() + ", tokenType=" + tokenType + ", scopes=" + scopes
        + ", audience=" + audience + ", expiresAt=" + (expiresAt == null ? "never" : expiresAt) + "]";
  }

  /** Builder for {@link AccessToken}; not thread-safe. */
  public static final class Builder {
    private SecretValue token;
    private String tokenType = "Bearer";
    private Set<String> scopes = Set.of();
    private String audience;
    private Instant expiresAt;
    private Instant refreshAt;

    private Builder() {}

    public Builder token(SecretValue token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Sets the token type, such as {@code Bearer} or {@code DPoP}.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public Builder tokenType(String tokenType) {
      Objects.requireNonNull(tokenType, "tokenType");
      if (tokenType.isBlank()) {
        throw new IllegalArgumentException("Invalid token type '': name a type such as Bearer");
      }
      this.tokenType = tokenType;
      return this;
    }

    public Builder scopes(Set<String> scopes) {
      this.scopes = Objects.requireNonNull(scopes, "scopes");
      return this;
    }

    /** Sets the audience the token was issued for; {@code null} means not known. */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** Sets the expiry; {@code null} means the issuer gave none. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Sets the time the issuer asked clients to refresh at; {@code null} means none. */
    public Builder refreshAt(Instant refreshAt) {
      this.refreshAt = refreshAt;
      return this;
    }

    /**
     * Builds the token.
     *
     * @throws IllegalStateException if the token is missing, or the refresh time is after the expiry
     */
    public AccessToken build() {
      if (token == null) {
        throw new IllegalStateException("An access token needs its value: call token(...)");
      }
      if (refreshAt != null && expiresAt != null && refreshAt.isAfter(expiresAt)) {
        throw new IllegalStateException(
            "Invalid refresh time " + refreshAt + ": it is after the expiry " + expiresAt);
      }
      return new AccessToken(this);
    }
  }
}
