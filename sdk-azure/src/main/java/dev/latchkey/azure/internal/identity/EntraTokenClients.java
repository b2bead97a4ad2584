package dev.latchkey.azure.internal.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.time.InstantSource;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Builds client credentials grants against the Microsoft identity platform v2.0 token endpoint
 * {@code {authorityHost}/{tenantId}/oauth2/v2.0/token}, on the OAuth 2.0 token client of the core
 * module.
 */
public final class EntraTokenClients {

  /**
   * The token endpoint and request options.
   *
   * @param authorityHost the Entra ID authority host, such as {@code https://login.microsoftonline.com}
   * @param tenantId the directory (tenant) id
   * @param scope the scope to request, such as {@code https://storage.azure.com/.default}
   * @param httpClient the client to derive the token client from
   * @param clock the time source for expiries and client assertions
   */
  public record Settings(
      HttpUrl authorityHost, String tenantId, String scope, OkHttpClient httpClient, InstantSource clock) {

    public Settings {
      Objects.requireNonNull(authorityHost, "authorityHost");
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(httpClient, "httpClient");
      Objects.requireNonNull(clock, "clock");
    }

    public HttpUrl tokenEndpoint() {
      return EntraAuthority.tokenEndpoint(authorityHost, tenantId);
    }
  }

  private EntraTokenClients() {}

  /** Returns a provider that sends one client credentials grant per fetch, named {@code name}. */
  public static CredentialProvider<AccessToken> clientCredentials(
      String name, Settings settings, ClientAuthentication authentication) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(settings.tokenEndpoint().uri())
        .clientAuthentication(authentication)
        .httpClient(settings.httpClient())
        .clock(settings.clock())
        .build();
    ClientCredentialsProvider grant = ClientCredentialsProvider.builder()
        .tokenEndpoint(endpoint)
        .scopes(settings.scope())
        .build();
    return new NamedProvider(name, grant);
  }
}
