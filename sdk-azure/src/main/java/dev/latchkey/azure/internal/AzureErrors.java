package dev.latchkey.azure.internal;

import dev.latchkey.RetryAfter;
import dev.latchkey.audit.Redactor;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Azure Storage error responses into {@link StorageException}s with the service's error code,
 * message and {@code x-ms-request-id}.
 *
 * <p>Azure puts the rejected signature in some messages (an {@code AuthenticationFailed} detail
 * quotes the MAC it received), so messages go through {@link Redactor#text} and lose every signature
 * the request carried before they reach the exception.
 */
public final class AzureErrors {

  private static final Logger logger = LoggerFactory.getLogger(AzureErrors.class);

  /** Error bodies are small; a larger one is cut here and still parsed for its code. */
  static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  private AzureErrors() {}

  /**
   * Returns the exception for an error response. Reads at most {@link #MAX_ERROR_BODY_BYTES} of its
   * body, which the caller closes.
   *
   * @param operation what was tried, such as {@code GET reports/q1.csv}, for the message
   * @param signatures the signatures the request carried, removed from the message
   * @param serverNow the estimated server time, which the date form of {@code Retry-After} is measured from
   */
  public static StorageException fromResponse(Response response, String operation, Collection<String> signatures,
      Instant serverNow) {
    String requestId = response.header("x-ms-request-id");
    ErrorBody body = readBody(response.body());
    String code = response.header("x-ms-error-code") != null ? response.header("x-ms-error-code") : body.code;
    String message = "Azure Blob Storage rejected " + operation + ": HTTP " + response.code()
        + (code == null ? "" : " " + code) + (body.message == null ? "" : ": " + firstLine(body.message))
        + (requestId == null ? "" : " (x-ms-request-id " + requestId + ")");
    Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), serverNow).orElse(null);
    return new StorageException(mask(message, signatures), response.code(), code, requestId, null,
        isRetryable(response.code()), retryAfter);
  }

  /** Returns the exception for a request that got no response, or whose body could not be read. */
  public static StorageException fromIoException(IOException e, String operation) {
    String outcome = e instanceof InterruptedIOException ? " timed out: " : " failed without a response: ";
    return new StorageException("Azure Blob Storage request " + operation + outcome
        + Redactor.text(String.valueOf(e.getMessage())), 0, null, null, e, true);
  }

  /** Returns whether the same request may succeed later: timeouts, throttling and server errors. */
  public static boolean isRetryable(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  private static String mask(String message, Collection<String> signatures) {
    String masked = Redactor.text(message);
    for (String signature : signatures) {
      if (signature != null && !signature.isEmpty()) {
        masked = masked.replace(signature, SecretValue.MASK)
            .replace(PercentCoding.encodeQueryComponent(signature), SecretValue.MASK);
      }
    }
    return masked;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }

  private static ErrorBody readBody(ResponseBody body) {
    if (body == null) {
      return new ErrorBody(null, null);
    }
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(MAX_ERROR_BODY_BYTES);
      if (bytes.length == 0) {
        return new ErrorBody(null, null);
      }
      XmlElement root = SafeXml.parse(bytes);
      return new ErrorBody(root.childText("Code"), root.childText("Message"));
    } catch (IOException | IllegalArgumentException e) {
      logger.debug("Cannot read the error body of a Blob Storage response: {}", e.toString());
      return new ErrorBody(null, null);
    }
  }

  private record ErrorBody(String code, String message) {}
}
