package dev.latchkey.auth;

import dev.latchkey.credentials.ApiKey;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds an API key to a request as a header (such as {@code X-API-Key} or {@code Authorization:
 * ApiKey ...}) or as a query parameter (such as {@code api_key}).
 *
 * <p>The key replaces any header or query parameter of the same name. In a query parameter the key
 * is percent-encoded (RFC 3986 unreserved characters are kept). Prefer a header: a key in a query
 * ends up in access logs of proxies and servers. Immutable and thread-safe.
 */
public final class ApiKeySigner implements RequestSigner<ApiKey> {

  private final String headerName;
  private final String prefix;
  private final String queryParameter;

  private ApiKeySigner(Builder builder) {
    this.headerName = builder.headerName;
    this.prefix = builder.prefix;
    this.queryParameter = builder.queryParameter;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SignableRequest sign(SignableRequest request, ApiKey credential, Instant signingTime) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credential, "credential");
    if (headerName != null) {
      return request.toBuilder().setHeader(headerName, prefix + credential.key().reveal()).build();
    }
    return request.toBuilder().uri(withQueryParameter(request.uri(), credential.key().reveal())).build();
  }

  private URI withQueryParameter(URI uri, String key) {
    List<String> parameters = new ArrayList<>();
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      for (String pair : uri.getRawQuery().split("&")) {
        String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!name.equals(percentEncode(queryParameter))) {
          parameters.add(pair);
        }
      }
    }
    parameters.add(percentEncode(queryParameter) + "=" + percentEncode(key));
    String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
    try {
      return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?"
          + String.join("&", parameters) + fragment);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot add the API key parameter to " + uri.getScheme() + "://"
          + uri.getRawAuthority() + uri.getRawPath(), e);
    }
  }

  /** Percent-encodes everything but the RFC 3986 unreserved characters. */
  static String percentEncode(String value) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return encoded.toString();
  }

  @Override
  public String toString() {
    return headerName != null
        ? "ApiKeySigner[header=" + headerName + "]"
        : "ApiKeySigner[queryParameter=" + queryParameter + "]";
  }

  /** Builder for {@link ApiKeySigner}; not thread-safe. Set a header or a query parameter. */
  public static final class Builder {
    private String headerName;
    private String prefix = "";
    private String queryParameter;

    private Builder() {}

    /** Sends the key as the value of header {@code name}, such as {@code X-API-Key}. */
    public Builder header(String name) {
      return header(name, "");
    }

    /**
     * Sends the key as the value of header {@code name} after {@code prefix}, such as {@code
     * Authorization} and {@code "ApiKey "}.
     *
     * @throws IllegalArgumentException if the name is not an HTTP token
     */
    public Builder header(String name, String prefix) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("Invalid header name '" + name + "': use letters, digits and '-'");
      }
      this.headerName = name;
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Sends the key as query parameter {@code name}, such as {@code api_key}. */
    public Builder queryParameter(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("Invalid query parameter name '': name the parameter the API reads");
      }
      this.queryParameter = name;
      return this;
    }

    /**
     * Builds the signer.
     *
     * @throws IllegalStateException unless exactly one of a header and a query parameter is set
     */
    public ApiKeySigner build() {
      if ((headerName == null) == (queryParameter == null)) {
        throw new IllegalStateException("An API key signer needs exactly one of header(...) and queryParameter(...)");
      }
      return new ApiKeySigner(this);
    }
  }
}
