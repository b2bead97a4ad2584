package dev.latchkey.azure.internal;

import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The strings to sign of Azure Storage Shared Key and Shared Key Lite authorization for the Blob,
 * Queue and File services, built from a request exactly as it will be sent.
 *
 * <p>The rules, from Microsoft's "Authorize with Shared Key" reference:
 *
 * <ul>
 *   <li>eleven standard header slots, each the first value of the header or an empty line; from
 *       service version 2015-02-21 on, a Content-Length of {@code 0} is an empty line as well;
 *   <li>canonicalized headers: every {@code x-ms-} header, name lower-cased, sorted by name, the
 *       value trimmed, repeated names joined with commas in the order sent;
 *   <li>canonicalized resource: {@code /account} and the encoded path as sent (with path-style URLs,
 *       such as the emulator's, the account name therefore appears twice), then one line per query
 *       parameter: the decoded name lower-cased, a colon, and the decoded values joined with commas
 *       in the order sent, sorted by name.
 * </ul>
 */
public final class SharedKeyStrings {

  /** The first service version that signs a zero Content-Length as an empty line. */
  static final String EMPTY_ZERO_LENGTH_VERSION = "2015-02-21";

  private static final String[] STANDARD_HEADERS = {
    "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
    "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"
  };
  private static final int CONTENT_LENGTH = 2;
  private static final int CONTENT_MD5 = 3;
  private static final int CONTENT_TYPE = 4;
  private static final int DATE = 5;

  private SharedKeyStrings() {}

  /** Returns the Shared Key string to sign of {@code request} for {@code accountName}. */
  public static String stringToSign(SignableRequest request, String accountName) {
    return stringToSign(request, accountName, null, null);
  }

  /**
   * Returns the Shared Key string to sign of {@code request} as if {@code x-ms-date} were replaced
   * by {@code msDate} and {@code x-ms-version} added as {@code addedVersion}, so a signer computes the
   * signature before it copies the request once with all its new headers.
   *
   * @param msDate the {@code x-ms-date} to sign in place of the request's, or {@code null}
   * @param addedVersion the {@code x-ms-version} of a request that has none, or {@code null}
   */
  public static String stringToSign(SignableRequest request, String accountName, String msDate, String addedVersion) {
    MsHeaders msHeaders = new MsHeaders(request.headers().size() + 2);
    String[] slots = new String[STANDARD_HEADERS.length];
    String version = addedVersion;
    for (Header header : request.headers()) {
      String name = header.name();
      if (isMsHeader(name)) {
        String lower = name.toLowerCase(Locale.ROOT).trim();
        if (msDate != null && lower.equals("x-ms-date")) {
          continue;
        }
        if (version == null && lower.equals("x-ms-version")) {
          version = header.value().trim();
        }
        msHeaders.add(lower, header.value().trim());
      } else {
        fillSlot(slots, name, header.value());
      }
    }
    if (msDate != null) {
      msHeaders.add("x-ms-date", msDate);
    }
    if (addedVersion != null) {
      msHeaders.add("x-ms-version", addedVersion);
    }
    return assemble(request, accountName, slots, msHeaders, version);
  }

  private static String assemble(SignableRequest request, String accountName, String[] slots, MsHeaders msHeaders,
      String version) {
    if (slots[CONTENT_LENGTH] == null && request.bodyLength() > 0) {
      slots[CONTENT_LENGTH] = Long.toString(request.bodyLength());
    }
    if ("0".equals(slots[CONTENT_LENGTH]) && (version == null || version.compareTo(EMPTY_ZERO_LENGTH_VERSION) >= 0)) {
      slots[CONTENT_LENGTH] = null;
    }
    StringBuilder out = new StringBuilder(320).append(request.method()).append('\n');
    for (String slot : slots) {
      if (slot != null) {
        out.append(slot);
      }
      out.append('\n');
    }
    msHeaders.appendSorted(out);
    appendCanonicalizedResource(out, accountName, request.uri());
    return out.toString();
  }

  /** Returns the Shared Key Lite string to sign of {@code request} for {@code accountName}. */
  public static String liteStringToSign(SignableRequest request, String accountName) {
    String[] slots = standardHeaderValues(request);
    StringBuilder out = new StringBuilder(192).append(request.method()).append('\n');
    for (int slot : new int[] {CONTENT_MD5, CONTENT_TYPE, DATE}) {
      out.append(slots[slot] == null ? "" : slots[slot]).append('\n');
    }
    appendCanonicalizedHeaders(out, request.headers());
    out.append('/').append(accountName).append(pathOf(request.uri()));
    String comp = compParameter(request.uri().getRawQuery());
    if (comp != null) {
      out.append("?comp=").append(comp);
    }
    return out.toString();
  }

  /** Returns the canonicalized headers: one {@code name:value} line per {@code x-ms-} header. */
  public static String canonicalizedHeaders(List<Header> headers) {
    StringBuilder out = new StringBuilder();
    appendCanonicalizedHeaders(out, headers);
    return out.toString();
  }

  /** Returns the canonicalized resource of a request URI for {@code accountName}. */
  public static String canonicalizedResource(String accountName, URI uri) {
    StringBuilder out = new StringBuilder();
    appendCanonicalizedResource(out, accountName, uri);
    return out.toString();
  }

  private static String[] standardHeaderValues(SignableRequest request) {
    String[] slots = new String[STANDARD_HEADERS.length];
    for (Header header : request.headers()) {
      fillSlot(slots, header.name(), header.value());
    }
    return slots;
  }

  /** Stores the first value of a standard header in its slot; other headers are ignored. */
  private static void fillSlot(String[] slots, String name, String value) {
    for (int i = 0; i < STANDARD_HEADERS.length; i++) {
      if (STANDARD_HEADERS[i].equalsIgnoreCase(name)) {
        if (slots[i] == null) {
          slots[i] = value;
        }
        return;
      }
    }
  }

  private static boolean isMsHeader(String name) {
    return name.regionMatches(true, 0, "x-ms-", 0, 5);
  }

  private static void appendCanonicalizedHeaders(StringBuilder out, List<Header> headers) {
    MsHeaders msHeaders = new MsHeaders(headers.size());
    for (Header header : headers) {
      if (isMsHeader(header.name())) {
        msHeaders.add(header.name().toLowerCase(Locale.ROOT).trim(), header.value().trim());
      }
    }
    msHeaders.appendSorted(out);
  }

  /**
   * The {@code x-ms-} headers of one request, lower-cased and trimmed. Requests have a handful, so
   * they are kept in two arrays and sorted by insertion, which keeps the order of repeated names.
   */
  private static final class MsHeaders {
    private final String[] names;
    private final String[] values;
    private int size;

    MsHeaders(int capacity) {
      this.names = new String[capacity];
      this.values = new String[capacity];
    }

    void add(String name, String value) {
      int position = size;
      while (position > 0 && names[position - 1].compareTo(name) > 0) {
        names[position] = names[position - 1];
        values[position] = values[position - 1];
        position--;
      }
      names[position] = name;
      values[position] = value;
      size++;
    }

    /** Appends one {@code name:value} line per name, joining repeated names' values with commas. */
    void appendSorted(StringBuilder out) {
      for (int i = 0; i < size; i++) {
        if (i > 0 && names[i].equals(names[i - 1])) {
          out.setLength(out.length() - 1);
          out.append(',').append(values[i]).append('\n');
        } else {
          out.append(names[i]).append(':').append(values[i]).append('\n');
        }
      }
    }
  }

  private static void appendCanonicalizedResource(StringBuilder out, String accountName, URI uri) {
    out.append('/').append(accountName).append(pathOf(uri));
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return;
    }
    List<String[]> parameters = QueryParameters.decodeLowerCasedNames(query);
    parameters.sort((a, b) -> a[0].compareTo(b[0]));
    String previous = null;
    for (String[] parameter : parameters) {
      if (parameter[0].equals(previous)) {
        out.append(',').append(parameter[1]);
      } else {
        out.append('\n').append(parameter[0]).append(':').append(parameter[1]);
      }
      previous = parameter[0];
    }
  }

  private static String pathOf(URI uri) {
    String path = uri.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  private static String compParameter(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String[] parameter : QueryParameters.decodeLowerCasedNames(rawQuery)) {
      if (parameter[0].equals("comp")) {
        return parameter[1];
      }
    }
    return null;
  }
}
