package dev.latchkey.auth;

import dev.latchkey.credentials.CredentialException;
import java.util.Optional;

/**
 * A token endpoint rejected a request with an OAuth 2.0 error response (RFC 6749 section 5.2), such
 * as {@code invalid_client}, {@code invalid_grant}, {@code unauthorized_client} or {@code
 * invalid_scope}.
 *
 * <p>Not retryable: the same request fails the same way until the configuration or the grant is
 * fixed. The only exceptions are {@code temporarily_unavailable} and {@code server_error}, which
 * some servers also send from the token endpoint. The message contains the endpoint URL, the error
 * code and the description the server sent, never a secret of the request.
 */
public class OAuthErrorException extends CredentialException {

  private static final long serialVersionUID = 1L;

  private final String error;
  private final String errorDescription;
  private final String errorUri;
  private final int statusCode;

  public OAuthErrorException(String message, String error, String errorDescription, String errorUri,
      int statusCode) {
    super(message, isRetryableError(error));
    this.error = error;
    this.errorDescription = errorDescription;
    this.errorUri = errorUri;
    this.statusCode = statusCode;
  }

  /** Returns the {@code error} code, such as {@code invalid_client}. */
  public String error() {
    return error;
  }

  /** Returns the {@code error_description} the server sent, if any. */
  public Optional<String> errorDescription() {
    return Optional.ofNullable(errorDescription);
  }

  /** Returns the {@code error_uri} the server sent, if any. */
  public Optional<String> errorUri() {
    return Optional.ofNullable(errorUri);
  }

  /** Returns the HTTP status code of the error response, such as 400 or 401. */
  public int statusCode() {
    return statusCode;
  }

  private static boolean isRetryableError(String error) {
    return "temporarily_unavailable".equals(error) || "server_error".equals(error);
  }
}
