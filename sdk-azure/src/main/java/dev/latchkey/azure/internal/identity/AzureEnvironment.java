package dev.latchkey.azure.internal.identity;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * A snapshot of the environment variables that Azure credential sources read.
 *
 * <p>A variable that is unset, empty or only white space counts as absent; values are trimmed.
 * Immutable and thread-safe.
 */
public final class AzureEnvironment {

  public static final String AZURE_TENANT_ID = "AZURE_TENANT_ID";
  public static final String AZURE_CLIENT_ID = "AZURE_CLIENT_ID";
  public static final String AZURE_CLIENT_SECRET = "AZURE_CLIENT_SECRET";
  public static final String AZURE_CLIENT_CERTIFICATE_PATH = "AZURE_CLIENT_CERTIFICATE_PATH";
  public static final String AZURE_CLIENT_CERTIFICATE_PASSWORD = "AZURE_CLIENT_CERTIFICATE_PASSWORD";
  public static final String AZURE_CLIENT_SEND_CERTIFICATE_CHAIN = "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN";
  public static final String AZURE_FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
  public static final String AZURE_AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
  public static final String IDENTITY_ENDPOINT = "IDENTITY_ENDPOINT";
  public static final String IDENTITY_HEADER = "IDENTITY_HEADER";
  public static final String IDENTITY_SERVER_THUMBPRINT = "IDENTITY_SERVER_THUMBPRINT";
  public static final String IMDS_ENDPOINT = "IMDS_ENDPOINT";

  private final Map<String, String> variables;

  private AzureEnvironment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** Takes a snapshot of {@code variables}, such as {@link System#getenv()}. */
  public static AzureEnvironment of(Map<String, String> variables) {
    Objects.requireNonNull(variables, "environment");
    return new AzureEnvironment(variables);
  }

  /** Returns the trimmed value of {@code name}, or empty if it is unset or blank. */
  public Optional<String> get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public boolean has(String name) {
    return get(name).isPresent();
  }

  /**
   * Returns the authority host from {@code AZURE_AUTHORITY_HOST}, or {@code defaultHost} if unset.
   *
   * @throws IllegalStateException if the variable is not an URL that tokens may be sent to
   */
  public HttpUrl authorityHost(String defaultHost) {
    String value = get(AZURE_AUTHORITY_HOST).orElse(defaultHost);
    try {
      return EndpointRules.requireTokenEndpoint(AZURE_AUTHORITY_HOST, URI.create(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Returns the tenant id from {@code AZURE_TENANT_ID}, or null if unset.
   *
   * @throws IllegalStateException if it is not a valid tenant id
   */
  public String tenantId() {
    return get(AZURE_TENANT_ID).map(value -> checked(() -> EntraAuthority.requireTenantId(AZURE_TENANT_ID, value)))
        .orElse(null);
  }

  /**
   * Returns the client id from {@code AZURE_CLIENT_ID}, or null if unset.
   *
   * @throws IllegalStateException if it contains white space
   */
  public String clientId() {
    return get(AZURE_CLIENT_ID).map(value -> checked(() -> Options.requireId(AZURE_CLIENT_ID, value)))
        .orElse(null);
  }

  private static String checked(Supplier<String> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
