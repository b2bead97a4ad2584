package dev.latchkey.auth.internal;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/** A JWT client assertion issued by another party, fetched for every request. */
public final class ClientAssertionAuthentication implements ClientAuthentication {

  private final String clientId;
  private final CredentialProvider<AccessToken> assertions;

  public ClientAssertionAuthentication(String clientId, CredentialProvider<AccessToken> assertions) {
    this.clientId = clientId;
    this.assertions = assertions;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public String method() {
    return "private_key_jwt";
  }

  @Override
  public Parameters parameters(URI tokenEndpoint, Instant now) {
    AccessToken assertion = assertions.fetch();
    return new Parameters(Map.of(
        "client_id", clientId,
        "client_assertion_type", JWT_BEARER_ASSERTION_TYPE,
        "client_assertion", assertion.token().reveal()), Map.of());
  }

  @Override
  public String toString() {
    return "ClientAuthentication[client_assertion, clientId=" + clientId + ", source=" + assertions.name() + "]";
  }
}
