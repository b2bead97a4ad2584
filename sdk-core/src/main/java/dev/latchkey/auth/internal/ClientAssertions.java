package dev.latchkey.auth.internal;

import dev.latchkey.auth.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Signed JWTs for client assertions and the JWT bearer grant (RFC 7523 section 3). */
public final class ClientAssertions {

  private ClientAssertions() {}

  /**
   * Signs a JWT with {@code iss}, {@code sub}, {@code aud}, a random {@code jti}, {@code iat} set
   * {@code clockSkew} before {@code now} and {@code exp} set {@code lifetime} after it.
   */
  public static String sign(SigningKey key, String issuer, String subject, String audience, Instant now,
      Duration lifetime, Duration clockSkew) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", subject);
    claims.put("aud", audience);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("iat", now.minus(clockSkew).getEpochSecond());
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    return key.sign(claims);
  }
}
