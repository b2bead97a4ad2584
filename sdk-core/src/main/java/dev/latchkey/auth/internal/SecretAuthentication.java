package dev.latchkey.auth.internal;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** {@code client_secret_basic} and {@code client_secret_post} (RFC 6749 section 2.3.1). */
public final class SecretAuthentication implements ClientAuthentication {

  private final String clientId;
  private final SecretValue clientSecret;
  private final boolean basic;

  public SecretAuthentication(String clientId, SecretValue clientSecret, boolean basic) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.basic = basic;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public String method() {
    return basic ? "client_secret_basic" : "client_secret_post";
  }

  @Override
  public Parameters parameters(URI tokenEndpoint, Instant now) {
    if (!basic) {
      return new Parameters(Map.of("client_id", clientId, "client_secret", clientSecret.reveal()), Map.of());
    }
    return new Parameters(Map.of(), Map.of("Authorization", basicAuthorization(clientId, clientSecret)));
  }

  /**
   * Returns the Basic credentials of RFC 6749 section 2.3.1: the id and secret are each encoded
   * with application/x-www-form-urlencoded before they are joined with a colon and base64-encoded,
   * so an id or secret containing ':' or non-ASCII characters survives.
   */
  static String basicAuthorization(String clientId, SecretValue clientSecret) {
    String pair = formEncode(clientId) + ":" + formEncode(clientSecret.reveal());
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.US_ASCII));
  }

  private static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ClientAuthentication[" + method() + ", clientId=" + clientId + "]";
  }
}
