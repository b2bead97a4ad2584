package dev.latchkey.audit.internal;

import java.util.Locale;
import java.util.Set;

/**
 * The names of query parameters, form fields, JSON members, XML elements and HTTP headers whose
 * values are secrets.
 *
 * <p>Names are compared after {@link #normalize(String) normalization}: lower case, with {@code -},
 * {@code _} and {@code .} removed. So {@code X-Amz-Signature}, {@code x_amz_signature} and {@code
 * xAmzSignature} are one name, as are {@code client_secret}, {@code client-secret} and {@code
 * clientSecret}.
 */
public final class SensitiveNames {

  private static final Set<String> NAMES = Set.of(
      // Signatures and session tokens in presigned and SAS URLs.
      "sig", "signature", "signatureprovided", "xamzsignature", "xamzsecuritytoken", "xgoogsignature",
      // HTTP authentication headers and cookies.
      "authorization", "proxyauthorization", "cookie", "setcookie",
      "xmscopysourceauthorization", "xmsauthorizationauxiliary",
      // Customer-provided encryption keys (S3 SSE-C, Azure CPK).
      "xamzserversideencryptioncustomerkey", "xamzcopysourceserversideencryptioncustomerkey",
      "xmsencryptionkey", "xmssourceencryptionkey",
      // API keys.
      "xapikey", "apikey", "ocpapimsubscriptionkey",
      // OAuth 2.0 and token exchange (RFC 6749, RFC 7523, RFC 8693) and OpenID Connect.
      "clientsecret", "clientassertion", "assertion", "subjecttoken", "actortoken",
      "accesstoken", "refreshtoken", "idtoken", "token", "codeverifier",
      // Passwords and keys in credential documents (AWS STS, IMDS) and connection strings.
      "password", "passwd", "secret", "secretaccesskey", "sessiontoken", "accountkey",
      "sharedaccesssignature", "privatekey");

  private SensitiveNames() {}

  /** Returns whether the value of a parameter, field or header with this name is a secret. */
  public static boolean isSensitive(String name) {
    String normalized = normalize(name);
    return NAMES.contains(normalized)
        || normalized.endsWith("password")
        || normalized.endsWith("secret")
        || normalized.endsWith("secretkey")
        || normalized.endsWith("privatekey");
  }

  /** Returns the name in lower case without {@code -}, {@code _} and {@code .}. */
  public static String normalize(String name) {
    StringBuilder normalized = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '-' && c != '_' && c != '.') {
        normalized.append(c);
      }
    }
    return normalized.toString().toLowerCase(Locale.ROOT).trim();
  }
}
