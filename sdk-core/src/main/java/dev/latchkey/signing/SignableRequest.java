package dev.latchkey.signing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a signer sees it: method, URI, headers and, for small bodies, the body.
 *
 * <p>The URI is kept exactly as it will be sent: {@link URI#getRawPath()} and {@link
 * URI#getRawQuery()} are the bytes on the wire, already percent-encoded, and nothing here normalizes
 * them. Headers keep their order and the case of their names; lookups ignore case. A body larger than
 * a signer should hash in memory is left out, and the request carries a payload header instead (for
 * SigV4, {@code x-amz-content-sha256}).
 *
 * <p>Instances are immutable and thread-safe. The type has no OkHttp dependency, so one signer serves
 * the native backends, the AWS SDK bridge and the benchmarks.
 */
public final class SignableRequest {

  private final String method;
  private final URI uri;
  private final List<Header> headers;
  private final byte[] body;

  private SignableRequest(Builder builder) {
    this.method = builder.method;
    this.uri = builder.uri;
    this.headers = List.copyOf(builder.headers);
    this.body = builder.body;
  }

  private SignableRequest(SignableRequest original, List<Header> headers) {
    this.method = original.method;
    this.uri = original.uri;
    this.headers = List.copyOf(headers);
    this.body = original.body;
  }

  /**
   * Returns a copy of this request with {@code headers} in place of its own; method, URI and body
   * stay the same, and the body is shared rather than copied. Signers use it to add their headers
   * without the copies a {@link Builder} makes.
   */
  public SignableRequest withHeaders(List<Header> headers) {
    Objects.requireNonNull(headers, "headers");
    return new SignableRequest(this, headers);
  }

  public static Builder builder(String method, URI uri) {
    return new Builder(method, uri);
  }

  /** Returns a builder that starts from this request. */
  public Builder toBuilder() {
    Builder builder = new Builder(method, uri);
    builder.headers.addAll(headers);
    builder.body = body;
    return builder;
  }

  /** Returns the method in upper case, such as {@code GET}. */
  public String method() {
    return method;
  }

  public URI uri() {
    return uri;
  }

  /** Returns all headers in order, with repeated names as separate entries; unmodifiable. */
  public List<Header> headers() {
    return headers;
  }

  /** Returns the values of every header with this name, compared without case, in order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>(1);
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        values.add(header.value());
      }
    }
    return values;
  }

  /** Returns the first value of the header with this name, compared without case. */
  public Optional<String> firstHeader(String name) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        return Optional.of(header.value());
      }
    }
    return Optional.empty();
  }

  /** Returns a copy of the body, if the request carries it in memory. */
  public Optional<byte[]> body() {
    return body == null ? Optional.empty() : Optional.of(body.clone());
  }

  /** Returns the body length, or -1 if the body is not held in memory. */
  public long bodyLength() {
    return body == null ? -1 : body.length;
  }

  /**
   * Returns the method and URI without its query, which may hold a signature; headers are left out.
   * Use {@code dev.latchkey.audit.Redactor} for the full form.
   */
  @Override
  public String toString() {
    return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  /** One header as sent. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, () -> "value of header '" + name + "'");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("Invalid header name '': header names must not be empty");
      }
    }
  }

  /** Builder for {@link SignableRequest}; not thread-safe. */
  public static final class Builder {
    private String method;
    private URI uri;
    private final List<Header> headers = new ArrayList<>();
    private byte[] body;

    private Builder(String method, URI uri) {
      method(method);
      uri(uri);
    }

    /**
     * Sets the HTTP method.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public Builder method(String method) {
      Objects.requireNonNull(method, "method");
      if (method.isBlank()) {
        throw new IllegalArgumentException("Invalid HTTP method '': use GET, PUT, POST, DELETE or HEAD");
      }
      this.method = method.toUpperCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the URI, which must be absolute with a host.
     *
     * @throws IllegalArgumentException if it is not absolute or has no host
     */
    public Builder uri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "Invalid request URI '" + uri.getScheme() + "://" + uri.getRawAuthority()
                + "': it must be absolute with a host, such as https://bucket.s3.amazonaws.com/key");
      }
      this.uri = uri;
      return this;
    }

    /** Adds a header, after any others with the same name. */
    public Builder addHeader(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    /** Removes every header with this name (without case) and adds one with the new value. */
    public Builder setHeader(String name, String value) {
      removeHeader(name);
      return addHeader(name, value);
    }

    /** Removes every header with this name, compared without case. */
    public Builder removeHeader(String name) {
      headers.removeIf(header -> header.name().equalsIgnoreCase(name));
      return this;
    }

    /** Sets the body held in memory (copied), or {@code null} for none or a streamed body. */
    public Builder body(byte[] body) {
      this.body = body == null ? null : Arrays.copyOf(body, body.length);
      return this;
    }

    public SignableRequest build() {
      return new SignableRequest(this);
    }
  }
}
