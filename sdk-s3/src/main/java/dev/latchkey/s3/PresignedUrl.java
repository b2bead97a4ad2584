package dev.latchkey.s3;

import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A presigned URL and what a client must send with it: the HTTP method, and the request headers
 * that were signed with it, which must be sent unchanged.
 *
 * <p>The URL is kept as the text that was signed. {@link #uri()} parses it on each call, so a caller
 * that only passes the URL on as text pays no parsing.
 *
 * <p>{@code toString()} leaves out the query, which contains the signature and, for temporary
 * credentials, the session token. Immutable and thread-safe.
 */
public final class PresignedUrl {

  private final String method;
  private final String url;
  private final List<Header> headers;
  private final long signingEpochSecond;
  private final long expirySeconds;

  PresignedUrl(String method, String url, List<Header> headers, long signingEpochSecond, long expirySeconds) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.signingEpochSecond = signingEpochSecond;
    this.expirySeconds = expirySeconds;
  }

  /** Returns the HTTP method the URL grants, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** Returns the URL as signed: the request URI without its fragment, with the SigV4 query parameters. */
  public String url() {
    return url;
  }

  /** Parses and returns {@link #url()} as a URI; each call parses it again. */
  public URI uri() {
    return URI.create(url);
  }

  /** Returns the headers that were signed and must be sent with the URL; unmodifiable, often empty. */
  public List<Header> headers() {
    return headers;
  }

  /** Returns the signing time in whole seconds, the value of {@code X-Amz-Date}. */
  public Instant signingTime() {
    return Instant.ofEpochSecond(signingEpochSecond);
  }

  /** Returns the end of the URL's validity: the signing time plus {@code X-Amz-Expires} seconds. */
  public Instant expiresAt() {
    return Instant.ofEpochSecond(signingEpochSecond + expirySeconds);
  }

  /** Returns the method and the URL without its query, with the expiry. */
  @Override
  public String toString() {
    int query = url.indexOf('?');
    String withoutQuery = query < 0 ? url : url.substring(0, query);
    return "PresignedUrl[" + method + " " + withoutQuery + ", expiresAt=" + expiresAt() + "]";
  }
}
