package dev.latchkey.azure.internal;

import dev.latchkey.azure.SasSigner;
import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.time.Instant;

/**
 * Signs with whichever kind of credential the source returns: Shared Key for a {@link SharedKey}, a
 * SAS query for a {@link SasToken}, a bearer header for an {@link AccessToken}. Thread-safe.
 */
public final class CredentialSigner implements RequestSigner<Credential> {

  private final SharedKeySigner sharedKeySigner;
  private final SasSigner sasSigner;
  private final BearerTokenSigner bearerSigner;

  public CredentialSigner(String serviceVersion) {
    this.sharedKeySigner = SharedKeySigner.builder().serviceVersion(serviceVersion).build();
    this.sasSigner = SasSigner.withServiceVersion(serviceVersion);
    this.bearerSigner = new BearerTokenSigner(serviceVersion);
  }

  /**
   * Signs {@code request}.
   *
   * @throws IllegalArgumentException if the credential is of a kind Blob Storage does not accept
   * @throws IllegalStateException if an access token would be sent over plain HTTP
   */
  @Override
  public SignableRequest sign(SignableRequest request, Credential credential, Instant signingTime) {
    if (credential instanceof SharedKey key) {
      return sharedKeySigner.sign(request, key, signingTime);
    }
    if (credential instanceof SasToken sas) {
      return sasSigner.sign(request, sas, signingTime);
    }
    if (credential instanceof AccessToken token) {
      // The builder rejects this for a known token source, but a backend built by factory() only
      // learns the credential type here.
      if ("http".equalsIgnoreCase(request.uri().getScheme())) {
        throw new IllegalStateException("Invalid endpoint for access token " + token.id() + ": Azure Storage"
            + " accepts bearer tokens only over HTTPS, so use an https:// endpoint or a Shared Key or SAS");
      }
      return bearerSigner.sign(request, token, signingTime);
    }
    throw new IllegalArgumentException("Invalid credential " + credential.id() + " of type "
        + credential.getClass().getSimpleName() + " for Azure Blob Storage: use SharedKey, SasToken or AccessToken");
  }
}
