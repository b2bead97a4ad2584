package dev.latchkey.azure.internal;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * Authorizes Azure Storage requests with a Microsoft Entra access token: {@code Authorization:
 * Bearer}, {@code x-ms-date} and, when missing, {@code x-ms-version}. Bearer tokens go only over
 * HTTPS, as Azure Storage requires. Immutable and thread-safe.
 */
public final class BearerTokenSigner implements RequestSigner<AccessToken> {

  private final String serviceVersion;

  public BearerTokenSigner(String serviceVersion) {
    this.serviceVersion = ServiceVersions.check("serviceVersion", serviceVersion);
  }

  /**
   * Returns {@code request} with the bearer token added.
   *
   * @throws IllegalArgumentException if the request is not HTTPS or the token is not a bearer token
   */
  @Override
  public SignableRequest sign(SignableRequest request, AccessToken credential, Instant signingTime) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credential, "credential");
    if (!"https".equalsIgnoreCase(request.uri().getScheme())) {
      throw new IllegalArgumentException("Cannot send a bearer token with " + request
          + ": Azure Storage accepts bearer tokens only over HTTPS");
    }
    if (!credential.isBearer()) {
      throw new IllegalArgumentException("Invalid token type '" + credential.tokenType() + "' of token "
          + credential.id() + ": Azure Storage accepts Bearer tokens only");
    }
    SignableRequest.Builder builder = request.toBuilder()
        .setHeader("x-ms-date", HttpDates.format(signingTime))
        .setHeader("Authorization", "Bearer " + credential.token().reveal());
    if (request.firstHeader("x-ms-version").isEmpty()) {
      builder.setHeader("x-ms-version", serviceVersion);
    }
    return builder.build();
  }
}
