package dev.latchkey.azure.identity;

import dev.latchkey.azure.internal.identity.AzureEnvironment;
import dev.latchkey.azure.internal.identity.EndpointRules;
import dev.latchkey.azure.internal.identity.NotConfiguredSource;
import dev.latchkey.azure.internal.identity.Options;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.providers.CredentialChainException;
import dev.latchkey.credentials.providers.CredentialProviderChain;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Builder for the default chain; not thread-safe. Every source reads the environment, requests the
   * scope, derives its HTTP client from the one set here and uses the clock set here.
   */
  public static final class Builder extends EnvironmentSourceBuilder<Builder> {
    private String managedIdentityClientId;
    private URI imdsEndpoint = URI.create(ManagedIdentityCredentials.IMDS_TOKEN_URL);

    private Builder() {}

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

    /**
     * Builds the chain.
     *
     * @throws IllegalStateException if a variable that is set has an invalid value
     */
    public CredentialProvider<AccessToken> build() {
      AzureEnvironment env = AzureEnvironment.of(environment());
      List<CredentialProvider<AccessToken>> sources = new ArrayList<>();
      sources.add(EnvironmentCredentials.builder()
          .environment(environment()).scope(scope()).httpClient(httpClient()).clock(clock()).build());
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
          .environment(environment()).scope(scope()).httpClient(httpClient()).clock(clock()).build();
    }

    private CredentialProvider<AccessToken> managedIdentity(AzureEnvironment env) {
      ManagedIdentityCredentials.Builder builder = ManagedIdentityCredentials.builder()
          .environment(environment())
          .imdsEndpoint(imdsEndpoint)
          .scope(scope())
          .httpClient(httpClient())
          .clock(clock());
      String clientId = managedIdentityClientId != null ? managedIdentityClientId : env.clientId();
      if (clientId != null) {
        builder.clientId(clientId);
      }
      return builder.build();
    }
  }
}
