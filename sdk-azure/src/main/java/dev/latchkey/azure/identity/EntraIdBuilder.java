package dev.latchkey.azure.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.azure.internal.identity.EndpointRules;
import dev.latchkey.azure.internal.identity.EntraAuthority;
import dev.latchkey.azure.internal.identity.EntraTokenClients;
import dev.latchkey.azure.internal.identity.Options;
import dev.latchkey.azure.internal.identity.RequiredOptions;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import okhttp3.HttpUrl;

/**
 * Options that the client secret, client certificate and workload identity builders share: the
 * tenant, the application, the authority host, the scope, the HTTP client and the clock. Each
 * setter checks its value at once: it throws {@link NullPointerException} for null and {@link
 * IllegalArgumentException}, naming the option and the value, for an invalid value. The {@code
 * build()} method of each builder checks that its required options are set.
 *
 * <p>Only builders of this package extend it, each with its own type as {@code B}, so that every
 * setter returns that builder. Not thread-safe.
 *
 * @param <B> the builder type that the setters return
 */
abstract class EntraIdBuilder<B extends EntraIdBuilder<B>> extends TokenSourceBuilder<B> {

  private static final HttpUrl DEFAULT_AUTHORITY_HOST = HttpUrl.get(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD);

  private String tenantId;
  private String clientId;
  private HttpUrl authorityHost;

  EntraIdBuilder() {}

  /**
   * Sets the directory (tenant) id, a GUID or a verified domain.
   *
   * @throws IllegalArgumentException if it is malformed or a multi-tenant alias such as {@code common}
   */
  public B tenantId(String tenantId) {
    this.tenantId = EntraAuthority.requireTenantId("tenantId", tenantId);
    return self();
  }

  /**
   * Sets the application (client) id.
   *
   * @throws IllegalArgumentException if it is blank or contains white space
   */
  public B clientId(String clientId) {
    this.clientId = Options.requireId("clientId", clientId);
    return self();
  }

  /**
   * Sets the authority host; default {@link AzureAuthorityHosts#AZURE_PUBLIC_CLOUD}.
   *
   * @throws IllegalArgumentException if it is not HTTPS, or plain HTTP to a loopback address
   */
  public B authorityHost(URI authorityHost) {
    this.authorityHost = EndpointRules.requireTokenEndpoint("authorityHost", authorityHost);
    return self();
  }

  /** Returns the tenant id that {@link #tenantId(String)} set, or null. */
  final String tenantId() {
    return tenantId;
  }

  /** Returns the client id that {@link #clientId(String)} set, or null. */
  final String clientId() {
    return clientId;
  }

  /** Returns the authority host that {@link #authorityHost(URI)} set, or null. */
  final HttpUrl authorityHost() {
    return authorityHost;
  }

  /** Returns the authority host that {@link #authorityHost(URI)} set, or else the public cloud's. */
  final HttpUrl authorityHostOrDefault() {
    return authorityHost != null ? authorityHost : DEFAULT_AUTHORITY_HOST;
  }

  /**
   * Starts the check of required options with the tenant id and client id, for a builder that
   * takes both only from its setters.
   *
   * @param credential the credential being built, such as "A client secret credential"
   */
  final RequiredOptions requireIds(String credential) {
    return new RequiredOptions(credential)
        .check("tenantId(...)", tenantId)
        .check("clientId(...)", clientId);
  }

  /**
   * Returns a provider that sends one client credentials grant per fetch to {@code
   * {authority}/{tenant}/oauth2/v2.0/token}, with this builder's scope, HTTP client and clock.
   *
   * @param name the provider name that chains and audit events report, such as {@code
   *     entra-client-secret:CLIENT_ID}
   */
  final CredentialProvider<AccessToken> clientCredentials(
      String name, HttpUrl authority, String tenant, ClientAuthentication authentication) {
    EntraTokenClients.Settings settings =
        new EntraTokenClients.Settings(authority, tenant, scope(), httpClient(), clock());
    return EntraTokenClients.clientCredentials(name, settings, authentication);
  }
}
