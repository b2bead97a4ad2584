package dev.latchkey.testkit.internal;

import dev.latchkey.LatchkeyException;
import dev.latchkey.auth.jose.Jws;
import dev.latchkey.auth.jose.JwkSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Checks a web identity JWT for the test STS: the signature against the issuer's JWK Set, then
 * {@code iss}, {@code aud} and {@code exp}. Thread-safe.
 */
public final class WebIdentityVerifier {

  private final String issuer;
  private final URI jwksUri;
  private final String audience;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  public WebIdentityVerifier(String issuer, URI jwksUri, String audience) {
    String scheme = jwksUri.getScheme();
    boolean loopback = "127.0.0.1".equals(jwksUri.getHost()) || "localhost".equals(jwksUri.getHost());
    if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
      throw new IllegalArgumentException(
          "Invalid jwksUri '" + jwksUri + "': use https, or http to 127.0.0.1");
    }
    this.issuer = issuer;
    this.jwksUri = jwksUri;
    this.audience = audience;
  }

  /**
   * Returns the {@code sub} of a valid token.
   *
   * @throws RejectedTokenException if the token is malformed, its signature does not verify, or a
   *     claim does not match
   */
  public String verify(String token, Instant now) {
    Map<String, Object> claims;
    try {
      Jws jws = Jws.parse(token);
      jws.verify(fetchKeys());
      claims = jws.claims();
    } catch (LatchkeyException e) {
      throw new RejectedTokenException("Invalid web identity token: " + e.getMessage(), false);
    }

    if (!issuer.equals(claims.get("iss"))) {
      throw new RejectedTokenException("Token issuer '" + claims.get("iss") + "' is not " + issuer, false);
    }
    if (!audiences(claims.get("aud")).contains(audience)) {
      throw new RejectedTokenException("Token audience " + claims.get("aud") + " does not contain " + audience, false);
    }
    if (!(claims.get("exp") instanceof Number exp)) {
      throw new RejectedTokenException("Token has no numeric exp claim", false);
    }
    if (!now.isBefore(Instant.ofEpochSecond(exp.longValue()))) {
      throw new RejectedTokenException("Token expired at " + Instant.ofEpochSecond(exp.longValue()), true);
    }
    return String.valueOf(claims.get("sub"));
  }

  private JwkSet fetchKeys() {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(jwksUri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new RejectedTokenException("JWKS at " + jwksUri + " returned HTTP " + response.statusCode(), false);
      }
      return JwkSet.parse(response.body());
    } catch (IOException e) {
      throw new RejectedTokenException("Cannot fetch the JWKS at " + jwksUri + ": " + e.getMessage(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RejectedTokenException("Interrupted while fetching the JWKS at " + jwksUri, false);
    }
  }

  private static Collection<?> audiences(Object aud) {
    if (aud instanceof Collection<?> list) {
      return list;
    }
    return aud == null ? java.util.List.of() : java.util.List.of(aud);
  }

  /** The token was rejected; {@link #expired()} is true when only its expiry failed. */
  public static final class RejectedTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean expired;

    RejectedTokenException(String message, boolean expired) {
      super(message);
      this.expired = expired;
    }

    public boolean expired() {
      return expired;
    }
  }
}
