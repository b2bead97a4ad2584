package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.CredentialException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * AWS STS rejected a request: the error {@code Code}, its {@link Kind}, the HTTP status and the
 * request id from the STS error response.
 *
 * <p>Throttling errors and server errors (HTTP 5xx) are {@linkplain #isRetryable() retryable}; every
 * other error, such as an expired web identity token or a denied role, is not.
 */
public final class StsException extends CredentialException {

  private static final long serialVersionUID = 1L;

  private static final Set<String> THROTTLING_CODES = Set.of(
      "throttling", "throttlingexception", "requestlimitexceeded", "toomanyrequestsexception",
      "requestthrottled", "requestthrottledexception", "slowdown");

  /** The families of STS error codes that callers handle differently. */
  public enum Kind {
    /** {@code ExpiredToken} or {@code ExpiredTokenException}: the web identity token or session token expired. */
    EXPIRED_TOKEN,
    /** {@code AccessDenied}: the caller may not assume the role, or the trust policy does not match. */
    ACCESS_DENIED,
    /** {@code InvalidIdentityToken}: STS did not accept the web identity token. */
    INVALID_IDENTITY_TOKEN,
    /** {@code Throttling} and similar codes, or HTTP 429. */
    THROTTLING,
    /** Any other error with an HTTP status of 500 or more. */
    SERVER_ERROR,
    /** Any other error. */
    OTHER
  }

  private final String errorCode;
  private final int httpStatus;
  private final String requestId;
  private final Kind kind;

  /**
   * Creates the exception for one STS error response.
   *
   * @param errorCode the {@code Code} element, such as {@code AccessDenied}
   * @param errorMessage the {@code Message} element; may be {@code null}
   * @param httpStatus the HTTP status code
   * @param requestId the {@code RequestId} element; may be {@code null}
   */
  public StsException(String errorCode, String errorMessage, int httpStatus, String requestId) {
    this(errorCode, errorMessage, httpStatus, requestId, classify(errorCode, httpStatus));
  }

  private StsException(String errorCode, String errorMessage, int httpStatus, String requestId, Kind kind) {
    super(describe(errorCode, errorMessage, httpStatus, requestId),
        kind == Kind.THROTTLING || kind == Kind.SERVER_ERROR);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.httpStatus = httpStatus;
    this.requestId = requestId;
    this.kind = kind;
  }

  /** Returns the STS error code, such as {@code ExpiredTokenException}. */
  public String errorCode() {
    return errorCode;
  }

  public Kind kind() {
    return kind;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Returns the STS request id, which AWS support requests when investigating a failure. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  private static Kind classify(String code, int status) {
    String normalized = code.toLowerCase(Locale.ROOT);
    if (normalized.equals("expiredtoken") || normalized.equals("expiredtokenexception")) {
      return Kind.EXPIRED_TOKEN;
    }
    if (normalized.equals("accessdenied") || normalized.equals("accessdeniedexception")) {
      return Kind.ACCESS_DENIED;
    }
    if (normalized.equals("invalididentitytoken")) {
      return Kind.INVALID_IDENTITY_TOKEN;
    }
    if (THROTTLING_CODES.contains(normalized) || status == 429) {
      return Kind.THROTTLING;
    }
    return status >= 500 ? Kind.SERVER_ERROR : Kind.OTHER;
  }

  private static String describe(String code, String message, int status, String requestId) {
    return "AWS STS rejected the request with HTTP " + status + " " + code
        + (message == null || message.isBlank() ? "" : ": " + message)
        + (requestId == null ? "" : " (request id " + requestId + ")");
  }
}
