package dev.latchkey.azure.internal.identity;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code private_key_jwt} client authentication with a certificate file that is read again for every
 * token request, so a rotated certificate takes effect without a restart. Thread-safe.
 */
public final class CertificateFileAuthentication implements ClientAuthentication {

  private final String clientId;
  private final Path file;
  private final SecretValue password;

  /**
   * @param password the password of the file, or {@code null} for none
   */
  public CertificateFileAuthentication(String clientId, Path file, SecretValue password) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.file = Objects.requireNonNull(file, "file");
    this.password = password;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public String method() {
    return "private_key_jwt";
  }

  /**
   * Reads the certificate file and signs a new client assertion with it.
   *
   * @throws CredentialException (retryable, as the file may be in the middle of a rewrite) if the
   *     file cannot be read or contains no usable key and certificate
   */
  @Override
  public Parameters parameters(URI tokenEndpoint, Instant now) {
    ClientCertificate certificate;
    try {
      certificate = CertificateFiles.load(file, password);
    } catch (IllegalArgumentException e) {
      throw new CredentialException(e.getMessage(), e, true);
    }
    return ClientAuthentication.privateKeyJwt(clientId, CertificateSigningKeys.of(certificate))
        .parameters(tokenEndpoint, now);
  }

  @Override
  public String toString() {
    return "ClientAuthentication[private_key_jwt, clientId=" + clientId + ", certificateFile=" + file + "]";
  }
}
