package dev.latchkey.audit.internal;

import dev.latchkey.credentials.SecretValue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts secrets from free text: exception messages, error bodies, canonical requests, header
 * dumps and connection strings.
 *
 * <p>Three forms are recognized: a {@linkplain SensitiveNames sensitive} name followed by {@code =},
 * {@code :} or an encoded {@code =} and a value ({@code sig=...}, {@code "access_token": "..."},
 * {@code x-amz-security-token:...}, {@code AccountKey=...;}); an XML element with a sensitive name
 * ({@code <SecretAccessKey>...</SecretAccessKey>}); and an HTTP authentication scheme followed by its
 * credentials ({@code Bearer ...}, {@code Basic ...}, {@code SharedKey account:...}). An unquoted
 * value ends at white space or at one of {@code & ; , " ' < > ) ] }}; a quoted value ends at its
 * closing quote. The values of {@code Authorization}, {@code Proxy-Authorization} and cookie headers
 * are masked to the end of the line.
 *
 * <p>NOTE: JSON member names written with {@code \\u} escapes are recognized only by the JSON
 * redactor, which parses the document; free text is not unescaped.
 */
public final class TextRedactor {

  private static final Pattern NAME_AND_SEPARATOR = Pattern.compile(
      "(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))"
          + "([A-Za-z](?:[A-Za-z0-9_.\\-]|%2[dDeE]|%5[fF])*)"
          + "([\"']?[ \\t]*(?:[:=]|%(?:25)?3[dD]|%(?:25)?3[aA])[ \\t]*)");

  private static final Pattern XML_ELEMENT = Pattern.compile("<([A-Za-z][A-Za-z0-9_.:\\-]*)>");

  private static final Pattern AUTH_SCHEME = Pattern.compile(
      "(?i)(?<![A-Za-z0-9])(Bearer|Basic|Digest|Negotiate|SharedKey|SharedKeyLite|SharedAccessSignature)"
          + "([ \\t]+)");

  private static final Set<String> WHOLE_LINE_NAMES = Set.of(
      "authorization", "proxyauthorization", "cookie", "setcookie",
      "xmscopysourceauthorization", "xmsauthorizationauxiliary");

  private static final String UNQUOTED_VALUE_END = "&;,\"'<>)]}";

  private TextRedactor() {}

  /** Returns the text with the value of every recognized secret replaced by the mask. */
  public static String redact(String text) {
    String redacted = redactNamedValues(text);
    redacted = redactXmlElements(redacted);
    return redactAuthSchemes(redacted);
  }

  private static String redactNamedValues(String text) {
    Matcher matcher = NAME_AND_SEPARATOR.matcher(text);
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (from < text.length() && matcher.find(from)) {
      String name = PercentCodec.decodeFully(matcher.group(1));
      if (!SensitiveNames.isSensitive(name)) {
        from = matcher.end(1);
        continue;
      }
      int valueStart = matcher.end();
      int valueEnd = valueEnd(text, valueStart, wholeLine(name));
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, copied, valueStart).append(maskedValue(text, valueStart, valueEnd));
      copied = valueEnd;
      from = Math.max(valueEnd, valueStart + 1);
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  private static boolean wholeLine(String name) {
    return WHOLE_LINE_NAMES.contains(SensitiveNames.normalize(name));
  }

  /** Returns the end of the value at {@code start}: its closing quote, or the first stop character. */
  private static int valueEnd(String text, int start, boolean wholeLine) {
    if (start >= text.length()) {
      return start;
    }
    char first = text.charAt(start);
    if (first == '"' || first == '\'') {
      return closingQuote(text, start, first);
    }
    int end = start;
    while (end < text.length() && !endsUnquotedValue(text.charAt(end), wholeLine)) {
      end++;
    }
    return end;
  }

  private static boolean endsUnquotedValue(char c, boolean wholeLine) {
    if (c == '\n' || c == '\r') {
      return true;
    }
    return !wholeLine && (Character.isWhitespace(c) || UNQUOTED_VALUE_END.indexOf(c) >= 0);
  }

  /** Returns the index just past the closing quote, or the end of the text if it never closes. */
  private static int closingQuote(String text, int open, char quote) {
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == quote) {
        return i + 1;
      }
    }
    return text.length();
  }

  private static String maskedValue(String text, int start, int end) {
    if (end > start && (text.charAt(start) == '"' || text.charAt(start) == '\'')) {
      char quote = text.charAt(start);
      return quote + SecretValue.MASK + quote;
    }
    return SecretValue.MASK;
  }

  private static String redactXmlElements(String text) {
    if (text.indexOf('<') < 0) {
      return text;
    }
    Matcher matcher = XML_ELEMENT.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (matcher.find()) {
      if (!SensitiveNames.isSensitive(localName(matcher.group(1)))) {
        continue;
      }
      int valueEnd = text.indexOf('<', matcher.end());
      valueEnd = valueEnd < 0 ? text.length() : valueEnd;
      out.append(text, copied, matcher.end()).append(SecretValue.MASK);
      copied = valueEnd;
    }
    return copied == 0 ? text : out.append(text, copied, text.length()).toString();
  }

  private static String localName(String qualifiedName) {
    return qualifiedName.substring(qualifiedName.indexOf(':') + 1);
  }

  private static String redactAuthSchemes(String text) {
    Matcher matcher = AUTH_SCHEME.matcher(text);
    StringBuilder out = null;
    int copied = 0;
    while (matcher.find()) {
      int valueEnd = valueEnd(text, matcher.end(), false);
      if (valueEnd == matcher.end()) {
        continue;
      }
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, copied, matcher.end()).append(SecretValue.MASK);
      copied = valueEnd;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }
}
