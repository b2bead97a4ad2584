package dev.latchkey.credentials.providers;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads a credential from environment variables whose names the application chooses.
 *
 * <p>Each fetch reads the variables again. A variable that is unset or empty counts as missing.
 * When all of the credential's variables are missing, {@link #fetch()} throws {@link
 * CredentialNotConfiguredException}, so a {@link CredentialProviderChain} moves on. When only some
 * are set, or a value is invalid, it throws a non-retryable {@link CredentialException} that names
 * the variables, never their values.
 *
 * <p>Tests pass their own variables through {@link Builder#environment(UnaryOperator)}. Thread-safe
 * if the lookup function is.
 *
 * @param <C> the type of credential
 */
public final class EnvironmentCredentialProvider<C extends Credential> implements CredentialProvider<C> {

  /** The variables that the AWS CLI and SDKs read. */
  public static final List<String> AWS_VARIABLES =
      List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

  private final List<String> variables;
  private final Function<Variables, C> reader;
  private final UnaryOperator<String> environment;

  private EnvironmentCredentialProvider(Builder<C> builder) {
    this.variables = builder.variables;
    this.reader = builder.reader;
    this.environment = builder.environment;
  }

  /** Reads an {@link ApiKey} from {@code keyVariable}; the key gets no label and no expiry. */
  public static Builder<ApiKey> apiKey(String keyVariable) {
    return new Builder<>(List.of(checkName(keyVariable)),
        values -> ApiKey.of(SecretValue.of(values.required(keyVariable))));
  }

  /** Reads a bearer {@link AccessToken} without an expiry from {@code tokenVariable}. */
  public static Builder<AccessToken> bearerToken(String tokenVariable) {
    return new Builder<>(List.of(checkName(tokenVariable)),
        values -> AccessToken.builder().token(SecretValue.of(values.required(tokenVariable))).build());
  }

  /** Reads {@link AwsCredentials} from {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}. */
  public static Builder<AwsCredentials> aws() {
    return aws(AWS_VARIABLES.get(0), AWS_VARIABLES.get(1), AWS_VARIABLES.get(2));
  }

  /**
   * Reads {@link AwsCredentials} from the named variables.
   *
   * @param sessionTokenVariable the variable of the optional session token
   */
  public static Builder<AwsCredentials> aws(
      String accessKeyIdVariable, String secretAccessKeyVariable, String sessionTokenVariable) {
    List<String> names = List.of(
        checkName(accessKeyIdVariable), checkName(secretAccessKeyVariable), checkName(sessionTokenVariable));
    return new Builder<>(names, values -> {
      String sessionToken = values.optional(sessionTokenVariable);
      return AwsCredentials.builder()
          .accessKeyId(values.required(accessKeyIdVariable))
          .secretAccessKey(SecretValue.of(values.required(secretAccessKeyVariable)))
          .sessionToken(sessionToken == null ? null : SecretValue.of(sessionToken))
          .build();
    });
  }

  /** Reads an Azure {@link SharedKey} from an account name variable and an account key variable. */
  public static Builder<SharedKey> sharedKey(String accountNameVariable, String accountKeyVariable) {
    List<String> names = List.of(checkName(accountNameVariable), checkName(accountKeyVariable));
    return new Builder<>(names, values -> SharedKey.of(
        values.required(accountNameVariable), SecretValue.of(values.required(accountKeyVariable))));
  }

  /**
   * Reads the credential from the variables.
   *
   * @throws CredentialNotConfiguredException if none of the variables is set
   * @throws CredentialException if a required variable is missing or a value is invalid
   */
  @Override
  public C fetch() {
    Variables values = new Variables(environment);
    if (variables.stream().allMatch(name -> values.optional(name) == null)) {
      throw new CredentialNotConfiguredException(
          "No credential in the environment: none of " + variables + " is set");
    }
    try {
      return reader.apply(values);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CredentialException(
          "Invalid credential in environment variables " + variables + ": " + e.getMessage(), false);
    }
  }

  @Override
  public String name() {
    return "environment";
  }

  @Override
  public String toString() {
    return "EnvironmentCredentialProvider" + variables;
  }

  private static String checkName(String variable) {
    Objects.requireNonNull(variable, "variable");
    if (variable.isBlank() || variable.contains("=")) {
      throw new IllegalArgumentException(
          "Invalid environment variable name '" + variable + "': use a non-empty name without '='");
    }
    return variable;
  }

  /** The values of one fetch, read through the provider's lookup function. */
  private static final class Variables {
    private final UnaryOperator<String> environment;

    Variables(UnaryOperator<String> environment) {
      this.environment = environment;
    }

    String optional(String name) {
      String value = environment.apply(name);
      return value == null || value.isEmpty() ? null : value;
    }

    String required(String name) {
      String value = optional(name);
      if (value == null) {
        throw new IllegalStateException("variable " + name + " is not set; set it or unset the others");
      }
      return value;
    }
  }

  /** Builder for {@link EnvironmentCredentialProvider}; not thread-safe. */
  public static final class Builder<C extends Credential> {
    private final List<String> variables;
    private final Function<Variables, C> reader;
    private UnaryOperator<String> environment = System::getenv;

    private Builder(List<String> variables, Function<Variables, C> reader) {
      this.variables = variables;
      this.reader = reader;
    }

    /**
     * Sets the function that returns a variable's value, or {@code null} when it is unset; {@link
     * System#getenv(String)} by default. Tests pass {@code Map.of(...)::get}.
     */
    public Builder<C> environment(UnaryOperator<String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    public EnvironmentCredentialProvider<C> build() {
      return new EnvironmentCredentialProvider<>(this);
    }
  }
}
