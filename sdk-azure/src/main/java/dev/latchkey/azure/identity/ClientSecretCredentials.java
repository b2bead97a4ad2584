package dev.latchkey.azure.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.azure.internal.identity.EndpointRules;
import dev.latchkey.azure.internal.identity.EntraAuthority;
import dev.latchkey.azure.internal.identity.EntraTokenClients;
import dev.latchkey.azure.internal.identity.HttpClients;
import dev.latchkey.azure.internal.identity.Options;
import dev.latchkey.azure.internal.identity.RequiredOptions;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.time.InstantSource;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Access tokens of a Microsoft Entra ID application that authenticates with a client secret, by
 * the OAuth 2.0 client credentials grant.
 *
 * <p>Each {@code fetch()} posts {@code grant_type=client_credentials}, the scope, {@code client_id}
 * and {@code client_secret} ({@code client_secret_post}) to {@code
 * {authorityHost}/{tenantId}/oauth2/v2.0/token}. Wrap the provider in a credential cache. The
 * provider is thread-safe; errors are those of {@link dev.latchkey.auth.TokenEndpoint}.
 *
 * <pre>{@code
 * CredentialProvider<AccessToken> tokens = ClientSecretCredentials.builder()
 *     .tenantId("72f988bf-86f1-41af-91ab-2d7cd011db47")
 *     .clientId("00000000-0000-0000-0000-000000000000")
 *     .clientSecret(SecretValue.of(System.getenv("APP_SECRET")))
 *     .build();
 * }</pre>
 */
public final class ClientSecretCredentials {

  private ClientSecretCredentials() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for a client secret token provider; not thread-safe. */
  public static final class Builder {
    private String tenantId;
    private String clientId;
    private SecretValue clientSecret;
    private HttpUrl authorityHost = HttpUrl.get(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD);
    private String scope = AzureScopes.STORAGE;
    private OkHttpClient httpClient = HttpClients.shared();
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * Sets the directory (tenant) id, a GUID or a verified domain.
     *
     * @throws IllegalArgumentException if it is malformed or a multi-tenant alias such as {@code common}
     */
    public Builder tenantId(String tenantId) {
      this.tenantId = EntraAuthority.requireTenantId("tenantId", tenantId);
      return this;
    }

    /**
     * Sets the application (client) id.
     *
     * @throws IllegalArgumentException if it is blank or contains white space
     */
    public Builder clientId(String clientId) {
      this.clientId = Options.requireId("clientId", clientId);
      return this;
    }

    public Builder clientSecret(SecretValue clientSecret) {
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    /**
     * Sets the authority host; default {@link AzureAuthorityHosts#AZURE_PUBLIC_CLOUD}.
     *
     * @throws IllegalArgumentException if it is not HTTPS, or plain HTTP to a loopback address
     */
    public Builder authorityHost(URI authorityHost) {
      this.authorityHost = EndpointRules.requireTokenEndpoint("authorityHost", authorityHost);
      return this;
    }

    /** Sets the scope to request; default {@link AzureScopes#STORAGE}. */
    public Builder scope(String scope) {
      this.scope = Options.requireText("scope", scope);
      return this;
    }

    /** Sets the OkHttp client to derive the token client from; redirects are turned off on a copy. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets the clock for token expiries; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the tenant id, client id or client secret is missing
     */
    public CredentialProvider<AccessToken> build() {
      new RequiredOptions("A client secret credential")
          .check("tenantId(...)", tenantId)
          .check("clientId(...)", clientId)
          .check("clientSecret(...)", clientSecret)
          .throwIfMissing();

      EntraTokenClients.Settings settings =
          new EntraTokenClients.Settings(authorityHost, tenantId, scope, httpClient, clock);
      return EntraTokenClients.clientCredentials("entra-client-secret:" + clientId, settings,
          ClientAuthentication.clientSecretPost(clientId, clientSecret));
    }
  }
}
