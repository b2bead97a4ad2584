package dev.latchkey.azure.identity;

import dev.latchkey.azure.internal.identity.AzureEnvironment;
import dev.latchkey.azure.internal.identity.NotConfiguredSource;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Access tokens of a Microsoft Entra ID application whose credentials are in environment variables,
 * under the names the Azure SDKs read.
 *
 * <ul>
 *   <li>{@code AZURE_TENANT_ID} and {@code AZURE_CLIENT_ID}, always;
 *   <li>{@code AZURE_CLIENT_SECRET} for a {@link ClientSecretCredentials client secret}, or else
 *       {@code AZURE_CLIENT_CERTIFICATE_PATH} (a PEM or PKCS#12 file) and optionally {@code
 *       AZURE_CLIENT_CERTIFICATE_PASSWORD} for a {@link ClientCertificateCredentials certificate};
 *   <li>{@code AZURE_AUTHORITY_HOST}, optionally, in place of the public cloud's authority host.
 * </ul>
 *
 * <p>The variables are read once, when the provider is built. Without a secret or certificate
 * variable, or with one but without the tenant or client id, {@code fetch()} throws {@link
 * CredentialNotConfiguredException} naming the missing variables, so a chain moves on.
 *
 * <p><b>Note:</b> {@code AZURE_CLIENT_SEND_CERTIFICATE_CHAIN} is ignored, because the {@code x5c}
 * header is not supported.
 */
public final class EnvironmentCredentials {

  private EnvironmentCredentials() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for an environment token provider; not thread-safe. */
  public static final class Builder extends EnvironmentSourceBuilder<Builder> {

    private Builder() {}

    /**
     * Builds the provider that the variables describe.
     *
     * @throws IllegalStateException if a variable that is set has an invalid value, such as a
     *     malformed tenant id or an unreadable certificate file
     */
    public CredentialProvider<AccessToken> build() {
      AzureEnvironment env = AzureEnvironment.of(environment());
      boolean secret = env.has(AzureEnvironment.AZURE_CLIENT_SECRET);
      boolean certificate = env.has(AzureEnvironment.AZURE_CLIENT_CERTIFICATE_PATH);
      if (!secret && !certificate) {
        return notConfigured("neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is set");
      }
      List<String> missing = missingIds(env);
      if (!missing.isEmpty()) {
        return notConfigured(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
            + " not set, though " + (secret ? "AZURE_CLIENT_SECRET" : "AZURE_CLIENT_CERTIFICATE_PATH")
            + " is");
      }
      return secret ? clientSecret(env) : clientCertificate(env);
    }

    private static List<String> missingIds(AzureEnvironment env) {
      List<String> missing = new ArrayList<>();
      for (String name : List.of(AzureEnvironment.AZURE_TENANT_ID, AzureEnvironment.AZURE_CLIENT_ID)) {
        if (!env.has(name)) {
          missing.add(name);
        }
      }
      return missing;
    }

    private CredentialProvider<AccessToken> clientSecret(AzureEnvironment env) {
      return configure(ClientSecretCredentials.builder(), env)
          .clientSecret(SecretValue.of(env.get(AzureEnvironment.AZURE_CLIENT_SECRET).orElseThrow()))
          .build();
    }

    private CredentialProvider<AccessToken> clientCertificate(AzureEnvironment env) {
      ClientCertificateCredentials.Builder builder = configure(ClientCertificateCredentials.builder(), env)
          .certificateFile(Path.of(env.get(AzureEnvironment.AZURE_CLIENT_CERTIFICATE_PATH).orElseThrow()));
      env.get(AzureEnvironment.AZURE_CLIENT_CERTIFICATE_PASSWORD)
          .ifPresent(password -> builder.certificatePassword(SecretValue.of(password)));
      return builder.build();
    }

    /** Sets the ids and authority host from the variables, and this builder's other options. */
    private <B extends EntraIdBuilder<B>> B configure(B builder, AzureEnvironment env) {
      return builder
          .tenantId(env.tenantId())
          .clientId(env.clientId())
          .authorityHost(env.authorityHost(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD).uri())
          .scope(scope())
          .httpClient(httpClient())
          .clock(clock());
    }

    private static CredentialProvider<AccessToken> notConfigured(String reason) {
      return new NotConfiguredSource("environment", "Environment credentials are not configured: " + reason);
    }
  }
}
