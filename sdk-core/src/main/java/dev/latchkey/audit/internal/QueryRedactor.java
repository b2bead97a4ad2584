package dev.latchkey.audit.internal;

import dev.latchkey.credentials.SecretValue;

/**
 * Redacts URLs, query strings and {@code application/x-www-form-urlencoded} bodies.
 *
 * <p>A parameter whose name, after percent-decoding, is {@linkplain SensitiveNames sensitive} keeps
 * its name and gets the mask as its value. The value of any other parameter is decoded and redacted
 * as free text, so a presigned URL nested inside a parameter (a redirect target, a copy source) loses
 * its signature too.
 */
public final class QueryRedactor {

  private QueryRedactor() {}

  /** Redacts the user information, the query and the fragment of an absolute or relative URL. */
  public static String url(String url) {
    int query = url.indexOf('?');
    int fragment = url.indexOf('#');
    int pathEnd = firstOf(query, fragment, url.length());
    String head = redactUserInfo(url.substring(0, pathEnd));
    if (pathEnd == url.length()) {
      return head;
    }
    StringBuilder out = new StringBuilder(url.length()).append(head);
    if (query >= 0 && (fragment < 0 || query < fragment)) {
      int queryEnd = fragment > query ? fragment : url.length();
      out.append('?').append(parameters(url.substring(query + 1, queryEnd)));
    }
    if (fragment >= 0) {
      out.append('#').append(parameters(url.substring(fragment + 1)));
    }
    return out.toString().contentEquals(url) ? url : out.toString();
  }

  /** Redacts a query string or form body: {@code name=value} pairs separated by {@code &}. */
  public static String parameters(String parameters) {
    if (parameters.isEmpty()) {
      return parameters;
    }
    StringBuilder out = new StringBuilder(parameters.length());
    int start = 0;
    while (start <= parameters.length()) {
      int end = parameters.indexOf('&', start);
      end = end < 0 ? parameters.length() : end;
      appendParameter(out, parameters.substring(start, end));
      if (end < parameters.length()) {
        out.append('&');
      }
      start = end + 1;
    }
    return out.toString();
  }

  private static void appendParameter(StringBuilder out, String pair) {
    int equals = pair.indexOf('=');
    if (equals < 0) {
      out.append(pair);
      return;
    }
    String name = pair.substring(0, equals);
    out.append(name).append('=');
    if (SensitiveNames.isSensitive(PercentCodec.decodeFully(name))) {
      out.append(SecretValue.MASK);
    } else {
      out.append(redactNestedValue(pair.substring(equals + 1)));
    }
  }

  /** Redacts a value that may hold an encoded URL or parameter list of its own. */
  private static String redactNestedValue(String value) {
    if (value.indexOf('%') < 0 && value.indexOf('=') < 0) {
      return value;
    }
    String decoded = PercentCodec.decodeFully(value);
    String redacted = TextRedactor.redact(decoded);
    return redacted.equals(decoded) ? value : PercentCodec.encode(redacted);
  }

  private static String redactUserInfo(String head) {
    int scheme = head.indexOf("://");
    if (scheme < 0) {
      return head;
    }
    int authorityStart = scheme + 3;
    int authorityEnd = head.indexOf('/', authorityStart);
    authorityEnd = authorityEnd < 0 ? head.length() : authorityEnd;
    int at = head.lastIndexOf('@', authorityEnd - 1);
    if (at < authorityStart) {
      return head;
    }
    return head.substring(0, authorityStart) + SecretValue.MASK + head.substring(at);
  }

  private static int firstOf(int a, int b, int otherwise) {
    int first = otherwise;
    if (a >= 0) {
      first = Math.min(first, a);
    }
    if (b >= 0) {
      first = Math.min(first, b);
    }
    return first;
  }
}
