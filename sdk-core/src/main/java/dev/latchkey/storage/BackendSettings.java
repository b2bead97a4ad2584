package dev.latchkey.storage;

import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.signing.ClockSkew;
import java.net.URI;
import java.time.InstantSource;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * What a {@link StorageClient} builder hands to a {@link StorageBackendFactory}: the settings that
 * every backend needs.
 *
 * @param endpoint the service endpoint, such as {@code https://s3.eu-west-1.amazonaws.com} or {@code
 *     https://account.blob.core.windows.net}; {@code null} for the backend's default
 * @param region the region for signing, such as {@code eu-west-1}; {@code null} where the protocol has
 *     none
 * @param credentials the source of credentials, normally a {@link dev.latchkey.credentials.CredentialCache};
 *     the backend rejects a type of credential it cannot sign with
 * @param httpClient the shared OkHttp client, with the timeouts already applied
 * @param clock the clock for signing times
 * @param clockSkew the estimate of the service's clock offset, shared by all requests of the client
 */
public record BackendSettings(
    URI endpoint,
    String region,
    CredentialProvider<? extends Credential> credentials,
    OkHttpClient httpClient,
    InstantSource clock,
    ClockSkew clockSkew) {

  public BackendSettings {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(httpClient, "httpClient");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(clockSkew, "clockSkew");
  }
}
