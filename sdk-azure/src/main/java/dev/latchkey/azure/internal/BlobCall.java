package dev.latchkey.azure.internal;

import java.util.List;
import java.util.Objects;
import okhttp3.RequestBody;

/**
 * One Blob Storage request before authorization.
 *
 * @param method the HTTP method
 * @param url the full URL with the encoded path and query, without any SAS
 * @param headers the headers to send, as name and value pairs; {@code Content-Length} is added from
 *     the body
 * @param body the body, repeatable and without a media type, or {@code null} for none
 * @param operation a short description for messages, such as {@code PUT reports/q1.csv}
 */
public record BlobCall(String method, String url, List<String[]> headers, RequestBody body, String operation) {

  public BlobCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    headers = List.copyOf(headers);
    Objects.requireNonNull(operation, "operation");
  }

  /** Returns the body length in bytes, or 0 without a body. */
  public long bodyLength() {
    try {
      return body == null ? 0 : body.contentLength();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
