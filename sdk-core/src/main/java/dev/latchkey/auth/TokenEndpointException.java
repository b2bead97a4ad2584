package dev.latchkey.auth;

import dev.latchkey.credentials.CredentialException;
import java.time.Duration;
import java.util.Optional;

/**
 * A token request failed without an OAuth 2.0 error response: a timeout, a reset connection, an
 * HTTP 5xx or 429, an unexpected status, or a response that is not a valid token response.
 *
 * <p>{@link #isRetryable()} is true for timeouts, I/O failures, 5xx, 429 and cut-off bodies, with
 * one exception. When the client authenticates with a TLS certificate ({@code tls_client_auth}), a
 * TLS failure, reset connection or broken pipe is not retryable, because the server may have
 * rejected the certificate, and the message names that cause. When
 * the server sent {@code Retry-After}, {@link #retryAfter()} is the delay it requested, so a caller
 * can wait at least that long. The message names the endpoint URL, never a secret or a token.
 *
 * <p>Token requests are not retried here. A {@code CredentialCache} retries the fetch after its
 * backoff, and waits at least {@link #retryAfter()} when the server named a delay.
 */
public class TokenEndpointException extends CredentialException {

  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final Duration retryAfter;

  public TokenEndpointException(String message, Throwable cause, boolean retryable, int statusCode,
      Duration retryAfter) {
    super(message, cause, retryable);
    this.statusCode = statusCode;
    this.retryAfter = retryAfter;
  }

  /** Returns the HTTP status code, or 0 if no response arrived. */
  public int statusCode() {
    return statusCode;
  }

  /** Returns the delay from the response's {@code Retry-After} header, if it had a valid one. */
  @Override
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
