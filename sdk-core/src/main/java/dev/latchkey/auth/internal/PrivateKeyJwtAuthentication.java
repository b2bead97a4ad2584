package dev.latchkey.auth.internal;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.SigningKey;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code private_key_jwt} (RFC 7523 section 2.2): a new signed assertion for every request. */
public final class PrivateKeyJwtAuthentication implements ClientAuthentication {

  private static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private final String clientId;
  private final SigningKey signingKey;
  private final Duration lifetime;
  private final Duration clockSkew;

  public PrivateKeyJwtAuthentication(String clientId, SigningKey signingKey, Duration lifetime, Duration clockSkew) {
    this.clientId = clientId;
    this.signingKey = signingKey;
    this.lifetime = Durations.checkRange("assertion lifetime", lifetime, Duration.ofSeconds(1), MAX_LIFETIME);
    this.clockSkew = Durations.checkRange("assertion clock skew", clockSkew, Duration.ZERO, MAX_CLOCK_SKEW);
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
    String assertion = ClientAssertions.sign(signingKey, clientId, clientId, tokenEndpoint.toString(),
        now, lifetime, clockSkew);
    return new Parameters(Map.of(
        "client_id", clientId,
        "client_assertion_type", JWT_BEARER_ASSERTION_TYPE,
        "client_assertion", assertion), Map.of());
  }

  @Override
  public String toString() {
    return "ClientAuthentication[" + method() + ", clientId=" + clientId + ", key=" + signingKey + "]";
  }
}
