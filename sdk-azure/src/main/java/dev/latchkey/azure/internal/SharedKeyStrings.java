package dev.latchkey.azure.internal;

import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The strings to sign of Azure Storage Shared Key and Shared Key Lite authorization for the Blob,
 * Queue and File services, built from a request exactly as it will be sent.
 *
 * <p>The rules, from Microsoft's "Authorize with Shared Key" reference:
 *
 * <ul>
 *   <li>eleven standard header slots, each the first value of the header, trimmed, or an empty
 *       line; from service version 2015-02-21 on, a Content-Length of {@code 0} is an empty line as
 *       well. The value is trimmed because HTTP clients, OkHttp among them, drop the whitespace
 *       around a header value before they send it, and the service signs what it receives;
 *   <li>canonicalized headers: every {@code x-ms-} header, name lower-cased, sorted by name (see
 *       {@link #compareHeaderNames}), the value trimmed, repeated names joined with commas in the
 *       order sent;
 *   <li>canonicalized resource: {@code /account} and the encoded path as sent (with path-style URLs,
 *       such as the emulator's, the account name therefore appears twice), then one line per query
 *       parameter: the decoded name lower-cased, a colon, and the decoded values joined with commas
 *       in the order sent, sorted by name.
 * </ul>
 */
public final class SharedKeyStrings {

  /** The first service version that signs a zero Content-Length as an empty line. */
  static final String EMPTY_ZERO_LENGTH_VERSION = "2015-02-21";

  static final String[] STANDARD_HEADERS = {
    "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
    "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"
  };
  private static final int CONTENT_ENCODING = 0;
  private static final int CONTENT_LANGUAGE = 1;
  static final int CONTENT_LENGTH = 2;
  private static final int CONTENT_MD5 = 3;
  private static final int CONTENT_TYPE = 4;
  private static final int DATE = 5;
  private static final int IF_MODIFIED_SINCE = 6;
  private static final int IF_MATCH = 7;
  private static final int IF_NONE_MATCH = 8;
  private static final int IF_UNMODIFIED_SINCE = 9;
  private static final int RANGE = 10;

  private SharedKeyStrings() {}

  /** Returns the Shared Key string to sign of {@code request} for {@code accountName}. */
  public static String stringToSign(SignableRequest request, String accountName) {
    return stringToSign(request, accountName, null, null);
  }

  /**
   * Returns the Shared Key string to sign of {@code request} as if {@code x-ms-date} were replaced
   * by {@code msDate} and {@code x-ms-version} added as {@code addedVersion}.
   *
   * @param msDate the {@code x-ms-date} to sign in place of the request's, or {@code null}
   * @param addedVersion the {@code x-ms-version} of a request that has none, or {@code null}
   */
  public static String stringToSign(SignableRequest request, String accountName, String msDate, String addedVersion) {
    SigningBuffer buffer = SigningBuffer.current();
    writeStringToSign(buffer, request, accountName, msDate, addedVersion);
    return buffer.toString();
  }

  /**
   * Writes the Shared Key string to sign of {@code request} into {@code buffer} as UTF-8, as if
   * {@code x-ms-date} were replaced by {@code msDate} and {@code x-ms-version} added as {@code
   * addedVersion}, so a signer computes the signature before it copies the request once with all
   * its new headers.
   *
   * @param msDate the {@code x-ms-date} to sign in place of the request's, or {@code null}
   * @param addedVersion the {@code x-ms-version} of a request that has none, or {@code null}
   */
  public static void writeStringToSign(SigningBuffer buffer, SignableRequest request, String accountName,
      String msDate, String addedVersion) {
    SigningBuffer.SortedPairs msHeaders = buffer.pairs;
    msHeaders.clear();
    String[] slots = buffer.headerSlots(STANDARD_HEADERS.length);
    String version = addedVersion;
    for (Header header : request.headers()) {
      String name = header.name();
      if (isMsHeader(name)) {
        String lower = lowerCaseTrimmed(name);
        if (msDate != null && lower.equals("x-ms-date")) {
          continue;
        }
        if (version == null && lower.equals("x-ms-version")) {
          version = header.value().trim();
        }
        msHeaders.addHeader(lower, header.value().trim());
      } else {
        fillSlot(slots, name, header.value());
      }
    }
    if (msDate != null) {
      msHeaders.addHeader("x-ms-date", msDate);
    }
    if (addedVersion != null) {
      msHeaders.addHeader("x-ms-version", addedVersion);
    }
    if (slots[CONTENT_LENGTH] == null && request.bodyLength() > 0) {
      slots[CONTENT_LENGTH] = Long.toString(request.bodyLength());
    }
    if ("0".equals(slots[CONTENT_LENGTH]) && (version == null || version.compareTo(EMPTY_ZERO_LENGTH_VERSION) >= 0)) {
      slots[CONTENT_LENGTH] = null;
    }
    buffer.appendLine(request.method());
    for (int i = 0; i < slots.length; i++) {
      buffer.appendLine(slots[i]);
      slots[i] = null;
    }
    writeCanonicalizedHeaders(buffer, msHeaders);
    writeCanonicalizedResource(buffer, accountName, request.uri());
  }

  /** Returns the Shared Key Lite string to sign of {@code request} for {@code accountName}. */
  public static String liteStringToSign(SignableRequest request, String accountName) {
    SigningBuffer buffer = SigningBuffer.current();
    writeLiteStringToSign(buffer, request, accountName);
    return buffer.toString();
  }

  /** Writes the Shared Key Lite string to sign of {@code request} into {@code buffer} as UTF-8. */
  public static void writeLiteStringToSign(SigningBuffer buffer, SignableRequest request, String accountName) {
    String[] slots = new String[STANDARD_HEADERS.length];
    for (Header header : request.headers()) {
      fillSlot(slots, header.name(), header.value());
    }
    buffer.append(request.method()).append('\n');
    for (int slot : new int[] {CONTENT_MD5, CONTENT_TYPE, DATE}) {
      buffer.append(slots[slot]).append('\n');
    }
    collectMsHeaders(buffer.pairs, request.headers());
    writeCanonicalizedHeaders(buffer, buffer.pairs);
    buffer.append('/').append(accountName).append(pathOf(request.uri()));
    String comp = compParameter(request.uri().getRawQuery());
    if (comp != null) {
      buffer.append("?comp=").append(comp);
    }
  }

  /** Returns the canonicalized headers: one {@code name:value} line per {@code x-ms-} header. */
  public static String canonicalizedHeaders(List<Header> headers) {
    SigningBuffer buffer = SigningBuffer.current();
    collectMsHeaders(buffer.pairs, headers);
    writeCanonicalizedHeaders(buffer, buffer.pairs);
    return buffer.toString();
  }

  /** Returns the canonicalized resource of a request URI for {@code accountName}. */
  public static String canonicalizedResource(String accountName, URI uri) {
    SigningBuffer buffer = SigningBuffer.current();
    writeCanonicalizedResource(buffer, accountName, uri);
    return buffer.toString();
  }

  /** Stores the first value of a standard header, trimmed, in its slot; other headers are ignored. */
  private static void fillSlot(String[] slots, String name, String value) {
    int slot = standardSlot(name);
    if (slot >= 0 && slots[slot] == null) {
      slots[slot] = value.trim();
    }
  }

  /**
   * Returns the index of a standard header in {@link #STANDARD_HEADERS}, or -1. Only the names of
   * the same length are compared, and only Content-Encoding and Content-Language share one.
   */
  static int standardSlot(String name) {
    int slot = switch (name.length()) {
      case 4 -> DATE;
      case 5 -> RANGE;
      case 8 -> IF_MATCH;
      case 11 -> CONTENT_MD5;
      case 12 -> CONTENT_TYPE;
      case 13 -> IF_NONE_MATCH;
      case 14 -> CONTENT_LENGTH;
      case 16 -> name.regionMatches(true, 8, "Encoding", 0, 8) ? CONTENT_ENCODING : CONTENT_LANGUAGE;
      case 17 -> IF_MODIFIED_SINCE;
      case 19 -> IF_UNMODIFIED_SINCE;
      default -> -1;
    };
    if (slot < 0) {
      return -1;
    }
    String standard = STANDARD_HEADERS[slot];
    return standard.equals(name) || standard.equalsIgnoreCase(name) ? slot : -1;
  }

  /**
   * Returns {@code name.toLowerCase(Locale.ROOT).trim()}, without a copy when the name has no
   * upper-case letter, no character outside ASCII and no space or control character at either end.
   */
  static String lowerCaseTrimmed(String name) {
    int last = name.length() - 1;
    if (name.charAt(0) <= ' ' || name.charAt(last) <= ' ') {
      return name.toLowerCase(Locale.ROOT).trim();
    }
    for (int i = 0; i <= last; i++) {
      char c = name.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
        return name.toLowerCase(Locale.ROOT).trim();
      }
    }
    return name;
  }

  /** Returns whether a header name starts with {@code x-ms-} in any case (header names are ASCII). */
  static boolean isMsHeader(String name) {
    return name.length() >= 5 && (name.charAt(0) | 0x20) == 'x' && name.charAt(1) == '-'
        && (name.charAt(2) | 0x20) == 'm' && (name.charAt(3) | 0x20) == 's' && name.charAt(4) == '-';
  }

  /**
   * Compares two lower-case canonicalized header names in the order Blob Storage signs them: by
   * UTF-16 code unit, except that {@code _} sorts after {@code /} and before the digits and letters.
   * The service sorts culture-sensitively, so it expects {@code x-ms-meta-i_} before {@code
   * x-ms-meta-i0}, where code point order puts it after; Azurite 3.35.0 expects the same.
   *
   * <p>NOTE: the service also gives a {@code -} inside a name less weight than other characters,
   * which this order does not model. The fixed {@code x-ms-} names that Latchkey sends sort the same
   * either way, and metadata names, which are C# identifiers, contain no {@code -}.
   */
  static int compareHeaderNames(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return sortWeight(x) - sortWeight(y);
      }
    }
    return a.length() - b.length();
  }

  private static int sortWeight(char c) {
    return c == '_' ? 2 * '/' + 1 : 2 * c;
  }

  /** Adds every {@code x-ms-} header, name lower-cased and trimmed, value trimmed. */
  private static void collectMsHeaders(SigningBuffer.SortedPairs msHeaders, List<Header> headers) {
    msHeaders.clear();
    for (Header header : headers) {
      if (isMsHeader(header.name())) {
        msHeaders.addHeader(lowerCaseTrimmed(header.name()), header.value().trim());
      }
    }
  }

  /** Writes one {@code name:value} line per name, joining repeated names' values with commas. */
  private static void writeCanonicalizedHeaders(SigningBuffer buffer, SigningBuffer.SortedPairs msHeaders) {
    for (int i = 0; i < msHeaders.size(); i++) {
      if (i > 0 && msHeaders.name(i).equals(msHeaders.name(i - 1))) {
        buffer.truncate(buffer.length() - 1);
        buffer.append(',').append(msHeaders.value(i)).append('\n');
      } else {
        buffer.appendHeaderLine(msHeaders.name(i), msHeaders.value(i));
      }
    }
  }

  static void writeCanonicalizedResource(SigningBuffer buffer, String accountName, URI uri) {
    buffer.append('/').append(accountName).append(pathOf(uri));
    writeCanonicalizedQuery(buffer, uri);
  }

  /** Writes one line per query parameter of {@code uri}, the end of the canonicalized resource. */
  static void writeCanonicalizedQuery(SigningBuffer buffer, URI uri) {
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return;
    }
    SigningBuffer.SortedPairs parameters = buffer.pairs;
    parameters.clear();
    QueryParameters.forEachDecoded(query, parameters::add);
    for (int i = 0; i < parameters.size(); i++) {
      if (i > 0 && parameters.name(i).equals(parameters.name(i - 1))) {
        buffer.append(',').append(parameters.value(i));
      } else {
        buffer.append('\n').append(parameters.name(i)).append(':').append(parameters.value(i));
      }
    }
  }

  static String pathOf(URI uri) {
    String path = uri.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  private static String compParameter(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    String[] comp = new String[1];
    QueryParameters.forEachDecoded(rawQuery, (name, value) -> {
      if (comp[0] == null && name.equals("comp")) {
        comp[0] = value;
      }
    });
    return comp[0];
  }
}
