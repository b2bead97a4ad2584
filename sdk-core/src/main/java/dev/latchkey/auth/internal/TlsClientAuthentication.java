package dev.latchkey.auth.internal;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** {@code tls_client_auth} (RFC 8705 section 2.1): the client id in the form, the certificate in TLS. */
public final class TlsClientAuthentication implements ClientAuthentication {

  private final String clientId;
  private final CredentialProvider<ClientCertificate> certificates;

  public TlsClientAuthentication(String clientId, CredentialProvider<ClientCertificate> certificates) {
    this.clientId = clientId;
    this.certificates = certificates;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public String method() {
    return "tls_client_auth";
  }

  @Override
  public Parameters parameters(URI tokenEndpoint, Instant now) {
    return new Parameters(Map.of("client_id", clientId), Map.of());
  }

  @Override
  public Optional<CredentialProvider<ClientCertificate>> tlsCertificate() {
    return Optional.of(certificates);
  }

  @Override
  public String toString() {
    return "ClientAuthentication[" + method() + ", clientId=" + clientId + ", source=" + certificates.name() + "]";
  }
}
