package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS access key: the access key id, the secret access key and, for temporary credentials, the
 * session token and expiry that AWS STS returned.
 *
 * <p>{@link #id()} is the access key id, which AWS treats as non-secret. {@code toString()} shows the
 * access key id, whether a session token is present, and the expiry.
 */
public final class AwsCredentials implements Credential {

  private final String accessKeyId;
  private final SecretValue secretAccessKey;
  private final SecretValue sessionToken;
  private final Instant expiresAt;

  private AwsCredentials(Builder builder) {
    this.accessKeyId = builder.accessKeyId;
    this.secretAccessKey = builder.secretAccessKey;
    this.sessionToken = builder.sessionToken;
    this.expiresAt = builder.expiresAt;
  }

  /** Creates long-term credentials with no session token and no expiry. */
  public static AwsCredentials of(String accessKeyId, SecretValue secretAccessKey) {
    return builder().accessKeyId(accessKeyId).secretAccessKey(secretAccessKey).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public SecretValue secretAccessKey() {
    return secretAccessKey;
  }

  /** Returns the session token of temporary credentials. */
  public Optional<SecretValue> sessionToken() {
    return Optional.ofNullable(sessionToken);
  }

  @Override
  public String id() {
    return accessKeyId;
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "AwsCredentials[accessKeyId=" + accessKeyId
        + ", sessionToken=" + (sessionToken == null ? "absent" : "present")
        + ", expiresAt=" + (expiresAt == null ? "never" : expiresAt) + "]";
  }

  /** Builder for {@link AwsCredentials}; not thread-safe. */
  public static final class Builder {
    private String accessKeyId;
    private SecretValue secretAccessKey;
    private SecretValue sessionToken;
    private Instant expiresAt;

    private Builder() {}

    /**
     * Sets the access key id.
     *
     * @throws IllegalArgumentException if it is blank or contains white space
     */
    public Builder accessKeyId(String accessKeyId) {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      if (accessKeyId.isBlank() || accessKeyId.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "Invalid AWS access key id '" + accessKeyId + "': it must be non-empty without white space");
      }
      this.accessKeyId = accessKeyId;
      return this;
    }

    public Builder secretAccessKey(SecretValue secretAccessKey) {
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      return this;
    }

    /** Sets the session token of temporary credentials; {@code null} means none. */
    public Builder sessionToken(SecretValue sessionToken) {
      this.sessionToken = sessionToken;
      return this;
    }

    /** Sets the expiry; {@code null} means the credentials do not expire. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /**
     * Builds the credentials.
     *
     * @throws IllegalStateException if the access key id or the secret access key is missing
     */
    public AwsCredentials build() {
      if (accessKeyId == null) {
        throw new IllegalStateException("AWS credentials need an access key id: call accessKeyId(...)");
      }
      if (secretAccessKey == null) {
        throw new IllegalStateException(
            "AWS credentials for '" + accessKeyId + "' need a secret access key: call secretAccessKey(...)");
      }
      return new AwsCredentials(this);
    }
  }
}
