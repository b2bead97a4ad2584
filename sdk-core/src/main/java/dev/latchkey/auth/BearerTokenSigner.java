package dev.latchkey.auth;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * Adds an OAuth 2.0 access token to a request as {@code Authorization: Bearer TOKEN} (RFC 6750
 * section 2.1), replacing any {@code Authorization} header.
 *
 * <p>Only tokens whose type is {@code Bearer}, compared without case, are accepted, because a
 * sender-constrained token (such as {@code DPoP}) sent as a bearer token fails or, worse, leaks.
 * Immutable and thread-safe.
 */
public final class BearerTokenSigner implements RequestSigner<AccessToken> {

  private static final BearerTokenSigner INSTANCE = new BearerTokenSigner();

  private BearerTokenSigner() {}

  /** Returns the signer; it has no options. */
  public static BearerTokenSigner create() {
    return INSTANCE;
  }

  /**
   * Returns the request with the bearer token added.
   *
   * @throws IllegalArgumentException if the token type is not {@code Bearer}
   */
  @Override
  public SignableRequest sign(SignableRequest request, AccessToken credential, Instant signingTime) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credential, "credential");
    if (!credential.isBearer()) {
      throw new IllegalArgumentException("Access token " + credential.id() + " has token type '"
          + credential.tokenType() + "', not Bearer; it cannot be sent as a bearer token");
    }
    return request.toBuilder().setHeader("Authorization", "Bearer " + credential.token().reveal()).build();
  }

  @Override
  public String toString() {
    return "BearerTokenSigner";
  }
}
