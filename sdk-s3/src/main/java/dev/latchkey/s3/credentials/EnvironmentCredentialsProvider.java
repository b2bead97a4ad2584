package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.internal.credentials.Expirations;
import java.util.Map;
import java.util.Objects;

/**
 * Reads AWS credentials from the environment variables {@code AWS_ACCESS_KEY_ID}, {@code
 * AWS_SECRET_ACCESS_KEY}, the optional {@code AWS_SESSION_TOKEN} and the optional {@code
 * AWS_CREDENTIAL_EXPIRATION} (ISO-8601).
 *
 * <p>Each {@link #fetch()} reads the variables again. When neither key variable is set the provider
 * throws {@link CredentialNotConfiguredException}, so a chain moves on; when only one is set it
 * throws a {@link CredentialException}, because that is a mistake to fix rather than skip.
 *
 * <p>Immutable and thread-safe.
 */
public final class EnvironmentCredentialsProvider implements CredentialProvider<AwsCredentials> {

  private final Map<String, String> environment;

  private EnvironmentCredentialsProvider(Map<String, String> environment) {
    this.environment = environment;
  }

  /** Returns a provider that reads the process environment. */
  public static EnvironmentCredentialsProvider create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AwsCredentials fetch() {
    String accessKeyId = value("AWS_ACCESS_KEY_ID");
    String secret = value("AWS_SECRET_ACCESS_KEY");
    if (accessKeyId == null && secret == null) {
      throw new CredentialNotConfiguredException("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    }
    if (accessKeyId == null || secret == null) {
      String missing = accessKeyId == null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
      throw new CredentialException(
          missing + " is not set but its partner variable is: set both, or neither", false);
    }

    String sessionToken = value("AWS_SESSION_TOKEN");
    String expiration = value("AWS_CREDENTIAL_EXPIRATION");
    return AwsCredentials.builder()
        .accessKeyId(accessKeyId)
        .secretAccessKey(SecretValue.of(secret))
        .sessionToken(sessionToken == null ? null : SecretValue.of(sessionToken))
        .expiresAt(expiration == null ? null : Expirations.parse(expiration, "AWS_CREDENTIAL_EXPIRATION"))
        .build();
  }

  @Override
  public String name() {
    return "environment";
  }

  @Override
  public String toString() {
    return "EnvironmentCredentialsProvider";
  }

  private String value(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Builder for {@link EnvironmentCredentialsProvider}; not thread-safe. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /**
     * Sets the variables to read, by default {@link System#getenv()}. The map is read on every fetch,
     * not copied, so a test may change it between calls.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    public EnvironmentCredentialsProvider build() {
      return new EnvironmentCredentialsProvider(environment);
    }
  }
}
