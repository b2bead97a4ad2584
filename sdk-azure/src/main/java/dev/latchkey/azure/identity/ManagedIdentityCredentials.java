package dev.latchkey.azure.identity;

import dev.latchkey.azure.internal.identity.AzureEnvironment;
import dev.latchkey.azure.internal.identity.EndpointRules;
import dev.latchkey.azure.internal.identity.HttpClients;
import dev.latchkey.azure.internal.identity.ManagedIdentityClient;
import dev.latchkey.azure.internal.identity.ManagedIdentityEndpoint;
import dev.latchkey.azure.internal.identity.ManagedIdentityId;
import dev.latchkey.azure.internal.identity.NotConfiguredSource;
import dev.latchkey.azure.internal.identity.Options;
import dev.latchkey.azure.internal.identity.RetryBackoff;
import dev.latchkey.azure.internal.identity.Sleeper;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Access tokens of an Azure managed identity, from the VM Instance Metadata Service (IMDS) or from
 * the App Service and Functions identity endpoint.
 *
 * <p>The endpoint is chosen from the environment when the provider is built: with {@code
 * IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} set, the App Service endpoint (API version
 * 2019-08-01, header {@code X-IDENTITY-HEADER}); otherwise IMDS at {@code
 * http://169.254.169.254/metadata/identity/oauth2/token} (API version 2018-02-01, header {@code
 * Metadata: true}). Without an id, the system-assigned identity is used; {@link Builder#clientId},
 * {@link Builder#objectId} or {@link Builder#resourceId} select a user-assigned one.
 *
 * <p>Each {@code fetch()} requests a new token; wrap the provider in a credential cache. IMDS
 * responses 404, 410, 429 and 5xx are retried with exponential backoff (1 s doubling to 16 s) for
 * {@link Builder#maxRetryDuration} (70 s by default), App Service 429 and 5xx likewise. A {@code
 * Retry-After} header, in seconds or as an HTTP date, lengthens a wait to the delay it requests, but
 * no wait goes past the end of that duration.
 *
 * <p>The first IMDS request of a provider is a probe without the {@code Metadata} header, which Azure
 * IMDS rejects with 400. If no connection opens within the connect timeout (1 s by default), or the
 * probe gets another status (as from the metadata service of another cloud at the same address),
 * {@code fetch()} throws {@link CredentialNotConfiguredException} without retrying.
 *
 * <p><b>Note:</b> Azure Arc, Service Fabric and Cloud Shell identity endpoints are not supported; in
 * their environments the provider reports itself as not configured.
 *
 * <pre>{@code
 * CredentialProvider<AccessToken> tokens = ManagedIdentityCredentials.builder()
 *     .clientId("00000000-0000-0000-0000-000000000000")
 *     .build();
 * }</pre>
 */
public final class ManagedIdentityCredentials {

  /** The IMDS token URL, {@value}. */
  public static final String IMDS_TOKEN_URL = "http://169.254.169.254/metadata/identity/oauth2/token";

  private ManagedIdentityCredentials() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for a managed identity token provider; not thread-safe. */
  public static final class Builder {
    private final Map<ManagedIdentityId.Type, ManagedIdentityId> identities =
        new EnumMap<>(ManagedIdentityId.Type.class);
    private String scope = AzureScopes.STORAGE;
    private HttpUrl imdsEndpoint = HttpUrl.get(IMDS_TOKEN_URL);
    private Map<String, String> environment = System.getenv();
    private OkHttpClient httpClient = HttpClients.shared();
    private InstantSource clock = InstantSource.system();
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration maxRetryDuration = Duration.ofSeconds(70);
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder() {}

    /**
     * Selects the user-assigned identity with this client (application) id.
     *
     * @throws IllegalArgumentException if the id is blank or contains white space
     */
    public Builder clientId(String clientId) {
      return identity(ManagedIdentityId.Type.CLIENT_ID, Options.requireId("clientId", clientId));
    }

    /**
     * Selects the user-assigned identity with this object (principal) id.
     *
     * @throws IllegalArgumentException if the id is blank or contains white space
     */
    public Builder objectId(String objectId) {
      return identity(ManagedIdentityId.Type.OBJECT_ID, Options.requireId("objectId", objectId));
    }

    /**
     * Selects the user-assigned identity with this Azure resource id, such as {@code
     * /subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/name}.
     *
     * @throws IllegalArgumentException if the id does not start with {@code /subscriptions/}
     */
    public Builder resourceId(String resourceId) {
      Options.requireId("resourceId", resourceId);
      if (!resourceId.toLowerCase(Locale.ROOT).startsWith("/subscriptions/")) {
        throw new IllegalArgumentException("Invalid resourceId '" + resourceId
            + "': an Azure resource id starts with /subscriptions/");
      }
      return identity(ManagedIdentityId.Type.RESOURCE_ID, resourceId);
    }

    /** Sets the scope to request; default {@link AzureScopes#STORAGE}. A {@code /.default} suffix is removed. */
    public Builder scope(String scope) {
      this.scope = Options.requireText("scope", scope);
      return this;
    }

    /**
     * Sets the IMDS token URL; default {@value #IMDS_TOKEN_URL}. Tests point it at loopback.
     *
     * @throws IllegalArgumentException if it is not HTTPS and not plain HTTP to loopback or IMDS
     */
    public Builder imdsEndpoint(URI imdsEndpoint) {
      this.imdsEndpoint = EndpointRules.requireTokenEndpoint("imdsEndpoint", imdsEndpoint);
      return this;
    }

    /** Sets the environment variables to read; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Sets the OkHttp client; redirects are turned off and the timeouts below set on a copy. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the clock for expiries and the retry budget; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets how long to wait for a connection; default 1 second, which bounds the check for IMDS. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Options.requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    /** Sets how long to wait for each read of a response; default 10 seconds. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Options.requirePositive("readTimeout", readTimeout);
      return this;
    }

    /**
     * Sets how long one request may take in all, so a response that trickles in is cut off; default
     * 30 seconds. A request cut off is retried like a 5xx.
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = Options.requirePositive("callTimeout", callTimeout);
      return this;
    }

    /**
     * Sets how long after the first attempt retries may start. Zero turns retries off. The default
     * is 70 seconds, because Azure documents that IMDS returns 410 while it updates and is back
     * within 70 seconds.
     */
    public Builder maxRetryDuration(Duration maxRetryDuration) {
      this.maxRetryDuration = Options.requireNotNegative("maxRetryDuration", maxRetryDuration);
      return this;
    }

    /** Sets how to wait between retries; for tests in this module that use a fake clock. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Builds the provider for the endpoint that the environment selects.
     *
     * @throws IllegalStateException if more than one of clientId, objectId and resourceId is set, or
     *     {@code IDENTITY_ENDPOINT} is set to a URL that tokens may not be sent to
     */
    public CredentialProvider<AccessToken> build() {
      ManagedIdentityId identity = userAssignedIdentity();
      AzureEnvironment env = AzureEnvironment.of(environment);
      String unsupported = unsupportedEnvironment(env);
      if (unsupported != null) {
        return new NotConfiguredSource("managed-identity", unsupported);
      }
      return new ManagedIdentityClient(new ManagedIdentityClient.Settings(
          endpoint(env), identity, scope, configuredClient(), clock, sleeper,
          new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(16), maxRetryDuration)));
    }

    private Builder identity(ManagedIdentityId.Type type, String value) {
      identities.put(type, new ManagedIdentityId(type, value));
      return this;
    }

    private ManagedIdentityId userAssignedIdentity() {
      if (identities.size() > 1) {
        throw new IllegalStateException("Invalid managed identity: " + identities.values()
            + " name it more than once; set only one of clientId, objectId and resourceId");
      }
      return identities.values().stream().findFirst().orElse(null);
    }

    private ManagedIdentityEndpoint endpoint(AzureEnvironment env) {
      if (!env.has(AzureEnvironment.IDENTITY_ENDPOINT)) {
        return ManagedIdentityEndpoint.imds(imdsEndpoint);
      }
      String url = env.get(AzureEnvironment.IDENTITY_ENDPOINT).orElseThrow();
      try {
        HttpUrl appService = EndpointRules.requireTokenEndpoint(
            AzureEnvironment.IDENTITY_ENDPOINT, URI.create(url));
        String header = env.get(AzureEnvironment.IDENTITY_HEADER).orElseThrow();
        return ManagedIdentityEndpoint.appService(appService, SecretValue.of(header));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    private static String unsupportedEnvironment(AzureEnvironment env) {
      if (!env.has(AzureEnvironment.IDENTITY_ENDPOINT)) {
        return null;
      }
      if (env.has(AzureEnvironment.IDENTITY_SERVER_THUMBPRINT)) {
        return "Managed identity is not available: IDENTITY_SERVER_THUMBPRINT is set, which means"
            + " Service Fabric, and its identity endpoint is not supported";
      }
      if (!env.has(AzureEnvironment.IDENTITY_HEADER)) {
        return "Managed identity is not available: IDENTITY_ENDPOINT is set without IDENTITY_HEADER,"
            + " as on Azure Arc, whose identity endpoint is not supported";
      }
      return null;
    }

    private OkHttpClient configuredClient() {
      return httpClient.newBuilder()
          .connectTimeout(connectTimeout)
          .readTimeout(readTimeout)
          .callTimeout(callTimeout)
          .build();
    }
  }
}
