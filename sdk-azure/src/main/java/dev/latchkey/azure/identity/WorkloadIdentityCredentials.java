package dev.latchkey.azure.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.azure.internal.identity.AzureEnvironment;
import dev.latchkey.azure.internal.identity.FederatedTokenFile;
import dev.latchkey.azure.internal.identity.RequiredOptions;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Access tokens by Microsoft Entra workload identity federation: a token that another issuer gave
 * the workload (such as a Kubernetes service-account token) is the client assertion of a client
 * credentials grant.
 *
 * <p>By default everything comes from the environment that Azure Workload Identity sets up in a
 * pod: {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_FEDERATED_TOKEN_FILE} and,
 * optionally, {@code AZURE_AUTHORITY_HOST}. Builder setters override the variables. The token file is
 * read again for every token request, because the kubelet rewrites it before the token in it
 * expires, and sent as {@code client_assertion} with {@code client_assertion_type}
 * {@code urn:ietf:params:oauth:client-assertion-type:jwt-bearer}.
 *
 * <p>The provider is thread-safe; wrap it in a credential cache. A missing token file makes {@code
 * fetch()} throw {@link dev.latchkey.credentials.CredentialNotConfiguredException}.
 */
public final class WorkloadIdentityCredentials {

  private WorkloadIdentityCredentials() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder for a workload identity token provider; not thread-safe. The tenant id, client id and
   * token file are required, each from its setter or else from its environment variable.
   */
  public static final class Builder extends EntraIdBuilder<Builder> {
    private Map<String, String> environment = System.getenv();
    private Path tokenFile;

    private Builder() {}

    /** Sets the environment variables to read; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Sets the federated token file in place of {@code AZURE_FEDERATED_TOKEN_FILE}. */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
      return this;
    }

    /**
     * Sets the authority host in place of {@code AZURE_AUTHORITY_HOST}; without either, {@link
     * AzureAuthorityHosts#AZURE_PUBLIC_CLOUD}.
     *
     * @throws IllegalArgumentException if it is not HTTPS, or plain HTTP to a loopback address
     */
    @Override
    public Builder authorityHost(URI authorityHost) {
      return super.authorityHost(authorityHost);
    }

    /**
     * Builds the provider from the setters and the environment.
     *
     * @throws IllegalStateException if the tenant id, client id or token file is set neither on the
     *     builder nor in the environment, or a variable has an invalid value
     */
    public CredentialProvider<AccessToken> build() {
      AzureEnvironment env = AzureEnvironment.of(environment);
      String tenant = tenantId() != null ? tenantId() : env.tenantId();
      String client = clientId() != null ? clientId() : env.clientId();
      Path file = tokenFile != null ? tokenFile
          : env.get(AzureEnvironment.AZURE_FEDERATED_TOKEN_FILE).map(Path::of).orElse(null);
      new RequiredOptions("Workload identity")
          .check("AZURE_TENANT_ID or tenantId(...)", tenant)
          .check("AZURE_CLIENT_ID or clientId(...)", client)
          .check("AZURE_FEDERATED_TOKEN_FILE or tokenFile(...)", file)
          .throwIfMissing();

      HttpUrl authority = authorityHost() != null ? authorityHost()
          : env.authorityHost(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD);
      String fileSetting = tokenFile != null ? "WorkloadIdentityCredentials.builder().tokenFile(...)"
          : AzureEnvironment.AZURE_FEDERATED_TOKEN_FILE;
      ClientAuthentication assertion =
          ClientAuthentication.clientAssertion(client, new FederatedTokenFile(file, fileSetting));
      return clientCredentials("entra-workload-identity:" + client, authority, tenant, assertion);
    }
  }
}
