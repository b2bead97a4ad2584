package dev.latchkey.azure.internal.identity;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Checks the URLs of token endpoints before any request is sent.
 *
 * <p>Tokens travel over HTTPS. Plain HTTP is accepted only to a loopback address ({@code
 * 127.0.0.0/8}, {@code ::1} or the name {@code localhost}), which is how tests, local sandboxes and
 * the App Service identity endpoint are reached, and to the link-local address of the Azure Instance
 * Metadata Service, which serves only HTTP and only inside the VM.
 */
public final class EndpointRules {

  /** The link-local address of the Azure Instance Metadata Service (IMDS). */
  public static final String IMDS_ADDRESS = "169.254.169.254";

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private EndpointRules() {}

  /**
   * Converts {@code uri} to an OkHttp URL after checking that tokens may be sent to it.
   *
   * @param option the name of the option or environment variable that set the URL, for the message
   * @throws IllegalArgumentException if the URL is not absolute HTTP(S), carries user info or a
   *     fragment, or uses plain HTTP to a host other than loopback or the IMDS address
   */
  public static HttpUrl requireTokenEndpoint(String option, URI uri) {
    HttpUrl url = HttpUrl.parse(uri.toString());
    if (url == null || !uri.isAbsolute()) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + uri + "': use an absolute https:// URL");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + url.redact() + "': remove the user info and the fragment");
    }
    if (!url.isHttps() && !allowsPlainHttp(url.host())) {
      throw new IllegalArgumentException(
          "Invalid " + option + " '" + url.redact() + "': tokens are sent only over https://, and plain"
              + " http:// only to a loopback address or " + IMDS_ADDRESS);
    }
    return url;
  }

  /** Returns whether plain HTTP may carry tokens to {@code host}. */
  public static boolean allowsPlainHttp(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.equals(IMDS_ADDRESS)) {
      return true;
    }
    return isIpLiteral(name) && isLoopbackLiteral(name);
  }

  private static boolean isIpLiteral(String host) {
    return IPV4_LITERAL.matcher(host).matches() || host.indexOf(':') >= 0;
  }

  private static boolean isLoopbackLiteral(String literal) {
    try {
      // getByName does not consult DNS for an IP literal.
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
