package dev.latchkey.azure.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.util.Objects;

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

  /**
   * Builder for a client secret token provider; not thread-safe. The tenant id, client id and
   * client secret are required.
   */
  public static final class Builder extends EntraIdBuilder<Builder> {
    private SecretValue clientSecret;

    private Builder() {}

    public Builder clientSecret(SecretValue clientSecret) {
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the tenant id, client id or client secret is missing
     */
    public CredentialProvider<AccessToken> build() {
      requireIds("A client secret credential")
          .check("clientSecret(...)", clientSecret)
          .throwIfMissing();

      return clientCredentials("entra-client-secret:" + clientId(), authorityHostOrDefault(), tenantId(),
          ClientAuthentication.clientSecretPost(clientId(), clientSecret));
    }
  }
}
