package dev.latchkey.azure.identity;

import dev.latchkey.azure.internal.identity.AzureEnvironment;
import dev.latchkey.azure.internal.identity.EndpointRules;
import dev.latchkey.azure.internal.identity.HttpClients;
import dev.latchkey.azure.internal.identity.NotConfiguredSource;
import dev.latchkey.azure.internal.identity.Options;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.providers.CredentialChainException;
import dev.latchkey.credentials.providers.CredentialProviderChain;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The usual chain of Azure credential sources for a workload that runs in Azure or in a pipeline:
 * {@link EnvironmentCredentials environment} (client secret or certificate), {@link
 * WorkloadIdentityCredentials workload identity}, then {@link ManagedIdentityCredentials managed
 * identity}.
 *
 * <p>The chain is a {@link CredentialProviderChain}: each {@code fetch()} tries the sources in that
 * order and returns the first token. When none returns one, it throws a {@link
 * CredentialChainException} whose {@link CredentialChainException#outcomes() outcomes} record, for each
 * source, whether it was not configured, unavailable or failed, and why. Workload identity counts
 * as configured when {@code AZURE_FEDERATED_TOKEN_FILE} is set. Managed identity uses the
 * user-assigned identity of {@link Builder#managedIdentityClientId}, or else of {@code
 * AZURE_CLIENT_ID}, or else the system-assigned one; off Azure it reports "not configured" within
 * its 1-second connect timeout.
 *
 * <p>The provider is thread-safe; wrap it in a credential cache.
 */
public final class DefaultAzureCredentials {

  private DefaultAzureCredentials() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for the default chain; not thread-safe. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private String managedIdentityClientId;
    private URI imdsEndpoint = URI.create(ManagedIdentityCredentials.IMDS_TOKEN_URL);
    private String scope = AzureScopes.STORAGE;
    private OkHttpClient httpClient = HttpClients.shared();
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /** Sets the environment variables every source reads; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Sets the client id of the user-assigned managed identity, in place of {@code AZURE_CLIENT_ID}.
     *
     * @throws IllegalArgumentException if it is blank or contains white space
     */
    public Builder managedIdentityClientId(String managedIdentityClientId) {
      this.managedIdentityClientId = Options.requireId("managedIdentityClientId", managedIdentityClientId);
      return this;
    }

    /**
     * Sets the IMDS token URL; default {@value ManagedIdentityCredentials#IMDS_TOKEN_URL}.
     *
     * @throws IllegalArgumentException if it is not HTTPS and not plain HTTP to loopback or IMDS
     */
    public Builder imdsEndpoint(URI imdsEndpoint) {
      EndpointRules.requireTokenEndpoint("imdsEndpoint", imdsEndpoint);
      this.imdsEndpoint = imdsEndpoint;
      return this;
    }

    /** Sets the scope every source requests; default {@link AzureScopes#STORAGE}. */
    public Builder scope(String scope) {
      this.scope = Options.requireText("scope", scope);
      return this;
    }

    /** Sets the OkHttp client every source derives its own from. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the clock of every source; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the chain.
     *
     * @throws IllegalStateException if a variable that is set has an invalid value
     */
    public CredentialProvider<AccessToken> build() {
      AzureEnvironment env = AzureEnvironment.of(environment);
      List<CredentialProvider<AccessToken>> sources = new ArrayList<>();
      sources.add(EnvironmentCredentials.builder()
          .environment(environment).scope(scope).httpClient(httpClient).clock(clock).build());
      sources.add(workloadIdentity(env));
      sources.add(managedIdentity(env));
      return CredentialProviderChain.of(sources);
    }

    private CredentialProvider<AccessToken> workloadIdentity(AzureEnvironment env) {
      if (!env.has(AzureEnvironment.AZURE_FEDERATED_TOKEN_FILE)) {
        return new NotConfiguredSource("entra-workload-identity",
            "Workload identity is not configured: AZURE_FEDERATED_TOKEN_FILE is not set");
      }
      if (!env.has(AzureEnvironment.AZURE_TENANT_ID) || !env.has(AzureEnvironment.AZURE_CLIENT_ID)) {
        return new NotConfiguredSource("entra-workload-identity", "Workload identity is not configured:"
            + " AZURE_FEDERATED_TOKEN_FILE is set, but AZURE_TENANT_ID or AZURE_CLIENT_ID is not");
      }
      return WorkloadIdentityCredentials.builder()
          .environment(environment).scope(scope).httpClient(httpClient).clock(clock).build();
    }

    private CredentialProvider<AccessToken> managedIdentity(AzureEnvironment env) {
      ManagedIdentityCredentials.Builder builder = ManagedIdentityCredentials.builder()
          .environment(environment)
          .imdsEndpoint(imdsEndpoint)
          .scope(scope)
          .httpClient(httpClient)
          .clock(clock);
      String clientId = managedIdentityClientId != null ? managedIdentityClientId : env.clientId();
      if (clientId != null) {
        builder.clientId(clientId);
      }
      return builder.build();
    }
  }
}
