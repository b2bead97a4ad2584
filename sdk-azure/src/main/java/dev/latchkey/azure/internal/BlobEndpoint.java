package dev.latchkey.azure.internal;

import dev.latchkey.audit.Redactor;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * A Blob service endpoint and the account it serves: account-host ({@code
 * https://account.blob.core.windows.net}, the account is the first label of the host) or path-style
 * ({@code http://127.0.0.1:10000/account}, the account is the path), as emulators and custom domains
 * use.
 *
 * @param base the endpoint without a trailing slash, to which {@code /container/blob} is appended
 * @param accountName the storage account
 * @param pathStyle whether the account is in the path
 */
public record BlobEndpoint(String base, String accountName, boolean pathStyle) {

  /**
   * Parses an endpoint.
   *
   * @throws IllegalArgumentException if it is not an absolute http or https URI with a host, has
   *     user information, a query or fragment, has more than one path segment, or names no account
   */
  public static BlobEndpoint parse(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (endpoint.getRawUserInfo() != null) {
      throw invalid(endpoint, "remove the user information from the URI and pass secrets as credentials");
    }
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null
        || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      throw invalid(endpoint, "use an absolute https:// URI without query, such as https://account.blob.core.windows.net");
    }
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
    String text = endpoint.toString().replaceAll("/+$", "");
    if (path.isEmpty()) {
      String host = endpoint.getHost();
      int dot = host.indexOf('.');
      if (dot <= 0 || Character.isDigit(host.charAt(0))) {
        throw invalid(endpoint, "name the account in the host (https://account.blob.core.windows.net)"
            + " or in the path (http://127.0.0.1:10000/account)");
      }
      return new BlobEndpoint(text, host.substring(0, dot), false);
    }
    String account = path.substring(1);
    if (account.contains("/")) {
      throw invalid(endpoint, "a path-style endpoint has one path segment, the account name");
    }
    return new BlobEndpoint(text, account, true);
  }

  /** Returns whether requests go over plain HTTP. */
  public boolean isPlainHttp() {
    return base.regionMatches(true, 0, "http:", 0, 5);
  }

  /** Returns whether the host is a loopback address, such as 127.0.0.1, ::1 or localhost. */
  public boolean isLoopback() {
    String host = URI.create(base).getHost();
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static IllegalArgumentException invalid(URI endpoint, String fix) {
    return new IllegalArgumentException("Invalid Blob endpoint '" + Redactor.url(endpoint) + "': " + fix);
  }
}
