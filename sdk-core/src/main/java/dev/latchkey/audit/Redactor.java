package dev.latchkey.audit;

import dev.latchkey.audit.internal.JsonRedactor;
import dev.latchkey.audit.internal.QueryRedactor;
import dev.latchkey.audit.internal.RedactedThrowable;
import dev.latchkey.audit.internal.SensitiveNames;
import dev.latchkey.audit.internal.TextRedactor;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Removes secrets from URLs, headers, request and response bodies and free text before they reach a
 * log line, an audit event or an exception message. Every such place in Latchkey goes through this
 * class, so there is one list of what counts as a secret.
 *
 * <p>A secret value is replaced by {@link SecretValue#MASK}; its name and everything around it stay,
 * so the output still shows which parameter or header was present. Names are compared without case
 * and ignoring {@code -}, {@code _} and {@code .}, and names in query strings and form bodies are
 * percent-decoded (up to three times) first. The values masked are those of:
 *
 * <ul>
 *   <li>signatures and session tokens: SAS {@code sig}, {@code X-Amz-Signature}, {@code
 *       X-Amz-Security-Token}, {@code X-Goog-Signature}, {@code signature};
 *   <li>headers: {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code
 *       Set-Cookie}, {@code x-ms-copy-source-authorization}, {@code x-ms-authorization-auxiliary},
 *       customer-provided encryption keys ({@code x-amz-server-side-encryption-customer-key}, {@code
 *       x-ms-encryption-key}) and API keys ({@code x-api-key}, {@code api-key}, {@code
 *       Ocp-Apim-Subscription-Key});
 *   <li>OAuth 2.0 parameters: {@code client_secret}, {@code client_assertion}, {@code assertion},
 *       {@code subject_token}, {@code actor_token}, {@code access_token}, {@code refresh_token},
 *       {@code id_token}, {@code token}, {@code code_verifier};
 *   <li>credential documents: {@code password}, {@code SecretAccessKey}, {@code SessionToken},
 *       {@code AccountKey}, {@code SharedAccessSignature}, and any name ending in {@code password},
 *       {@code secret}, {@code secretkey} or {@code privatekey}.
 * </ul>
 *
 * <p>{@code X-Amz-Credential} is kept: its only part that identifies a key is the access key id,
 * which Latchkey already uses as the credential's public {@code id()}.
 *
 * <p>All methods are static, pure and thread-safe, and accept any input: text that does not parse as
 * the expected form is redacted as free text ({@link #text(String)}) rather than rejected.
 */
public final class Redactor {

  private Redactor() {}

  /** Returns whether the value of a query parameter, form field, JSON member or header with this name is masked. */
  public static boolean isSensitiveName(String name) {
    return SensitiveNames.isSensitive(name);
  }

  /**
   * Redacts a URL: the password or token in its user information, and sensitive parameters in its
   * query and fragment. A URL without either is returned as it is.
   */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    return QueryRedactor.url(url);
  }

  /** Redacts a URI; see {@link #url(String)}. */
  public static String url(URI uri) {
    return uri == null ? null : QueryRedactor.url(uri.toString());
  }

  /** Redacts a raw query string or an {@code application/x-www-form-urlencoded} body. */
  public static String form(String parameters) {
    return parameters == null ? null : QueryRedactor.parameters(parameters);
  }

  /** Redacts a JSON document; one that does not parse is redacted as free text. */
  public static String json(String json) {
    return json == null ? null : JsonRedactor.redact(json);
  }

  /**
   * Redacts free text such as an exception message, an XML error body or a canonical request; see
   * the class description for the forms recognized.
   */
  public static String text(String text) {
    return text == null ? null : TextRedactor.redact(text);
  }

  /**
   * Redacts a body by its media type: JSON ({@code application/json} and {@code +json} types), form
   * encoding, or free text for any other type or when the type is {@code null}.
   */
  public static String body(String contentType, String body) {
    if (body == null) {
      return null;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.contains("json")) {
      return JsonRedactor.redact(body);
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      return QueryRedactor.parameters(body);
    }
    return TextRedactor.redact(body);
  }

  /**
   * Redacts one header value: the mask if the header is sensitive, otherwise the value redacted as
   * free text (a {@code Location} or {@code x-ms-copy-source} header can hold a presigned URL).
   */
  public static String header(String name, String value) {
    if (value == null) {
      return null;
    }
    return SensitiveNames.isSensitive(name) ? SecretValue.MASK : TextRedactor.redact(value);
  }

  /** Redacts a list of headers, keeping their order and names. */
  public static List<SignableRequest.Header> headers(List<SignableRequest.Header> headers) {
    List<SignableRequest.Header> redacted = new ArrayList<>(headers.size());
    for (SignableRequest.Header header : headers) {
      redacted.add(new SignableRequest.Header(header.name(), header(header.name(), header.value())));
    }
    return redacted;
  }

  /** Redacts a map of header names to values, such as {@code okhttp3.Headers#toMultimap()}. */
  public static Map<String, List<String>> headers(Map<String, ? extends List<String>> headers) {
    Map<String, List<String>> redacted = new LinkedHashMap<>();
    headers.forEach((name, values) -> {
      List<String> masked = new ArrayList<>(values.size());
      values.forEach(value -> masked.add(header(name, value)));
      redacted.put(name, masked);
    });
    return redacted;
  }

  /**
   * Returns a throwable to pass to a logger in place of {@code failure}: it has the same stack
   * trace, causes and suppressed exceptions, and each message is the original class name followed by
   * the message redacted by {@link #text(String)}. Use it when a failure may quote a request, a
   * response body or a URL.
   */
  public static RuntimeException throwable(Throwable failure) {
    return failure == null ? null : RedactedThrowable.of(failure);
  }

  /**
   * Describes a request for a diagnostic log: method, redacted URL and redacted headers, one per
   * line, and the body length. The body itself is left out.
   */
  public static String request(SignableRequest request) {
    StringBuilder out = new StringBuilder(128)
        .append(request.method()).append(' ').append(url(request.uri()));
    for (SignableRequest.Header header : request.headers()) {
      out.append('\n').append(header.name()).append(": ").append(header(header.name(), header.value()));
    }
    if (request.bodyLength() >= 0) {
      out.append("\n(body of ").append(request.bodyLength()).append(" bytes)");
    }
    return out.toString();
  }
}
