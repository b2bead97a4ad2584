package dev.latchkey.azure.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.azure.internal.identity.CertificateFileAuthentication;
import dev.latchkey.azure.internal.identity.CertificateFiles;
import dev.latchkey.azure.internal.identity.CertificateSigningKeys;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Access tokens of a Microsoft Entra ID application that authenticates with a certificate, by the
 * OAuth 2.0 client credentials grant with a {@code private_key_jwt} client assertion.
 *
 * <p>For every token request a new assertion is signed: {@code iss} and {@code sub} are the client
 * id, {@code aud} the token endpoint {@code {authorityHost}/{tenantId}/oauth2/v2.0/token}, with a
 * random {@code jti} and a 60-second lifetime. Its header names the certificate by {@code x5t#S256},
 * the SHA-256 thumbprint that Entra ID matches against the certificates registered for the
 * application. RSA keys sign with PS256, EC keys with the ECDSA algorithm of their curve.
 *
 * <p>The certificate is given either as a {@link ClientCertificate} or as a PEM or PKCS#12 file,
 * which is read again for every token request so a rotated certificate takes effect without a
 * restart. The provider is thread-safe; wrap it in a credential cache.
 *
 * <p><b>Note:</b> the {@code x5c} header (sending the certificate chain for subject name and issuer
 * authentication) is not supported.
 */
public final class ClientCertificateCredentials {

  private ClientCertificateCredentials() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder for a client certificate token provider; not thread-safe. The tenant id, the client id
   * and one of a certificate and a certificate file are required.
   */
  public static final class Builder extends EntraIdBuilder<Builder> {
    private ClientCertificate certificate;
    private Path certificateFile;
    private SecretValue certificatePassword;

    private Builder() {}

    /** Sets the certificate and its private key. */
    public Builder certificate(ClientCertificate certificate) {
      this.certificate = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /**
     * Sets a PEM file (PKCS#8 key and certificate) or PKCS#12 file to read for every token request.
     * {@link #build()} reads it once to check it.
     */
    public Builder certificateFile(Path certificateFile) {
      this.certificateFile = Objects.requireNonNull(certificateFile, "certificateFile");
      return this;
    }

    /** Sets the password of the certificate file: of a PKCS#12 file or an encrypted PEM key. */
    public Builder certificatePassword(SecretValue certificatePassword) {
      this.certificatePassword = Objects.requireNonNull(certificatePassword, "certificatePassword");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the tenant id or client id is missing, if not exactly one of a
     *     certificate and a certificate file is set, or if the file cannot be loaded
     * @throws IllegalArgumentException if the key is of a type Entra ID assertions cannot use
     */
    public CredentialProvider<AccessToken> build() {
      requireIds("A client certificate credential").throwIfMissing();
      if ((certificate == null) == (certificateFile == null)) {
        throw new IllegalStateException("A client certificate credential needs exactly one of"
            + " certificate(...) and certificateFile(...)");
      }

      return clientCredentials("entra-client-certificate:" + clientId(), authorityHostOrDefault(),
          tenantId(), authentication());
    }

    private ClientAuthentication authentication() {
      if (certificate != null) {
        return ClientAuthentication.privateKeyJwt(clientId(), CertificateSigningKeys.of(certificate));
      }
      try {
        CertificateSigningKeys.of(CertificateFiles.load(certificateFile, certificatePassword));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return new CertificateFileAuthentication(clientId(), certificateFile, certificatePassword);
    }
  }
}
