package dev.latchkey.s3.internal.credentials;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the endpoints that credential sources send requests to.
 *
 * <p>Host names are compared as written, without a DNS lookup, so a name that resolves to a loopback
 * address is not treated as loopback; only {@code localhost} and literal addresses are.
 */
public final class Endpoints {

  private Endpoints() {}

  /**
   * Returns whether the host is {@code localhost}, an IPv4 address in 127.0.0.0/8 or {@code ::1}.
   */
  public static boolean isLoopback(String host) {
    String normalized = unbracket(host).toLowerCase(Locale.ROOT);
    if (normalized.equals("localhost") || normalized.equals("::1") || normalized.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    return isIpv4Literal(normalized) && normalized.startsWith("127.");
  }

  /**
   * Rejects a URI that is not {@code https}, unless it is {@code http} to a loopback host or to one
   * of {@code plainHttpHosts}.
   *
   * @param option the builder option or variable that set the URI, for the message
   * @throws IllegalArgumentException if the URI is not allowed
   */
  public static URI requireSecure(URI uri, String option, Set<String> plainHttpHosts) {
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + uri + "': it must be an absolute URI with a host");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = unbracket(uri.getHost()).toLowerCase(Locale.ROOT);
    boolean plainAllowed = isLoopback(host) || plainHttpHosts.contains(host);
    if (scheme.equals("https") || (scheme.equals("http") && plainAllowed)) {
      return uri;
    }
    throw new IllegalArgumentException(
        "Invalid " + option + " '" + uri.getScheme() + "://" + uri.getRawAuthority() + "': use https,"
            + " or http only to " + (plainHttpHosts.isEmpty() ? "" : String.join(", ", plainHttpHosts) + " or ")
            + "a loopback address");
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isIpv4Literal(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
