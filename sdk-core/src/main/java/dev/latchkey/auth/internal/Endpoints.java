package dev.latchkey.auth.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/** Checks and prints the URLs of token endpoints and issuers. */
public final class Endpoints {

  private Endpoints() {}

  /**
   * Returns {@code uri} if it is an absolute HTTPS URL, or an HTTP URL whose host is a loopback
   * address ({@code localhost}, 127.0.0.0/8 or {@code ::1}); no DNS lookup is made.
   *
   * @param option the name of the option, for the error message
   * @throws IllegalArgumentException naming the URL if it is neither
   */
  public static URI checkSecure(String option, URI uri) {
    Objects.requireNonNull(uri, option);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("Invalid " + option + " '" + describe(uri)
          + "': it must be an absolute https URL, such as https://login.example.com/oauth2/token");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("Invalid " + option + " '" + describe(uri)
          + "': it must use https; plain http is allowed only to loopback addresses such as 127.0.0.1");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("Invalid " + option + " '" + describe(uri)
          + "': it must not contain user information; configure client authentication instead");
    }
    return uri;
  }

  /** Returns the URL without user information, query or fragment, which may hold secrets. */
  public static String describe(URI uri) {
    if (uri.getHost() == null) {
      return String.valueOf(uri.getScheme()) + ":...";
    }
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return uri.getScheme() + "://" + uri.getHost() + port + path;
  }

  /**
   * Returns whether {@code host} is {@code localhost} or a literal loopback address (127.0.0.0/8,
   * {@code ::1}); a name that only resolves to one is not, because no DNS lookup is made.
   */
  public static boolean isLoopback(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!isIpLiteral(bare)) {
      return false;
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }
}
