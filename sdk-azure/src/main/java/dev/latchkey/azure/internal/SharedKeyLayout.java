package dev.latchkey.azure.internal;

import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a Shared Key string to sign that only the header names decide. These are the header
 * that fills each standard slot, the canonicalized {@code x-ms-} headers in sorted order with their
 * lower-case names as UTF-8, and the headers that signing replaces. The next request on the same
 * thread with the same header name objects reuses them and skips that work.
 *
 * <p>The layout is keyed by the identity of the header names. Programs build most requests from
 * header names that are String constants, so the same objects come back, and comparing them by
 * reference is exact because Strings are immutable. Header values, the account and the path are
 * compared by reference as well: when one is the object encoded last time at the same place, its
 * UTF-8 bytes (up to {@value SigningBuffer.EncodedText#MAX_KEPT_BYTES}) are copied rather than
 * encoded again. Values of headers whose names contain {@code key} or {@code authorization}, such
 * as {@code x-ms-encryption-key}, are never kept, because they may be secrets.
 *
 * <p>{@link SharedKeyStrings#writeStringToSign} is the general form, and writes the same bytes. A
 * layout belongs to one thread's {@link SigningBuffer}, which keeps a few, and is never shared.
 */
public final class SharedKeyLayout {

  /** Source of a canonicalized header that signing adds: the new {@code x-ms-date}. */
  private static final int ADDED_DATE = -1;
  /** Source of a canonicalized header that signing adds: {@code x-ms-version} when the request has none. */
  private static final int ADDED_VERSION = -2;

  private static final int SLOT_COUNT = SharedKeyStrings.STANDARD_HEADERS.length;

  /** The header names that the layout was built for, which are its lookup key. */
  private final SigningBuffer.HeaderNames names = new SigningBuffer.HeaderNames();
  private int headerCount;

  private boolean hasVersionHeader;
  /** The request index of the first header whose trimmed, lower-case name is {@code x-ms-version}, or -1. */
  private int firstVersionHeader;
  /** For each standard slot, the request index of the first header with that name, or -1. */
  private final int[] slotHeader = new int[SLOT_COUNT];

  /** The canonicalized headers in sorted order: request index or {@link #ADDED_DATE} / {@link #ADDED_VERSION}. */
  private int[] entrySource = new int[16];
  /** The UTF-8 of {@code name:} for each entry, or null when it repeats the name before it. */
  private byte[][] entryPrefix = new byte[16][];
  private int entryCount;

  /** Whether signing drops each request header: {@code x-ms-date} and {@code Authorization}. */
  private boolean[] replaced = new boolean[16];
  private int keptCount;

  /** The last encoded value of each request header, then of the added date and version. */
  private SigningBuffer.EncodedText[] values = new SigningBuffer.EncodedText[0];
  /** Whether a request header's value may be kept between calls (false for possible secrets). */
  private boolean[] keepValue = new boolean[16];
  private final SigningBuffer.EncodedText account = new SigningBuffer.EncodedText();
  private final SigningBuffer.EncodedText path = new SigningBuffer.EncodedText();
  private final SigningBuffer.EncodedText method = new SigningBuffer.EncodedText();

  SharedKeyLayout() {}

  /**
   * Returns this thread's layout for {@code headers}, or null when the caller must use {@link
   * SharedKeyStrings#writeStringToSign}. The layout is one kept from an earlier request with the same
   * header name objects, or a new one when the last request that found none had the same names.
   */
  public static SharedKeyLayout of(SigningBuffer buffer, List<Header> headers) {
    return buffer.sharedKeyLayout(headers);
  }

  /** Returns whether the layout was built for header names that are the same objects, in the same order. */
  boolean matches(List<Header> headers) {
    return names.matches(headers);
  }

  /** Decides everything the header names decide, with the same rules as {@link SharedKeyStrings#writeStringToSign}. */
  void build(List<Header> headers) {
    int count = headers.size();
    names.clear();
    ensureCapacity(count);

    hasVersionHeader = false;
    firstVersionHeader = -1;
    Arrays.fill(slotHeader, -1);
    keptCount = 0;
    String[] entryNames = new String[count + 2];
    entryCount = 0;

    for (int i = 0; i < count; i++) {
      String name = headers.get(i).name();
      replaced[i] = name.equalsIgnoreCase("x-ms-date") || name.equalsIgnoreCase("Authorization");
      if (!replaced[i]) {
        keptCount++;
      }
      if (name.equalsIgnoreCase("x-ms-version")) {
        hasVersionHeader = true;
      }
      String lowerName = name.toLowerCase(Locale.ROOT);
      keepValue[i] = !lowerName.contains("key") && !lowerName.contains("authorization");
      if (SharedKeyStrings.isMsHeader(name)) {
        String lower = SharedKeyStrings.lowerCaseTrimmed(name);
        if (lower.equals("x-ms-date")) {
          continue;
        }
        if (firstVersionHeader < 0 && lower.equals("x-ms-version")) {
          firstVersionHeader = i;
        }
        addEntry(entryNames, lower, i);
      } else {
        int slot = SharedKeyStrings.standardSlot(name);
        if (slot >= 0 && slotHeader[slot] < 0) {
          slotHeader[slot] = i;
        }
      }
    }

    addEntry(entryNames, "x-ms-date", ADDED_DATE);
    if (!hasVersionHeader) {
      addEntry(entryNames, "x-ms-version", ADDED_VERSION);
    }
    for (int k = 0; k < entryCount; k++) {
      boolean repeats = k > 0 && entryNames[k].equals(entryNames[k - 1]);
      entryPrefix[k] = repeats ? null : (entryNames[k] + ":").getBytes(StandardCharsets.UTF_8);
    }

    for (SigningBuffer.EncodedText value : values) {
      value.clear();
    }
    names.record(headers);
    headerCount = count;
  }

  /**
   * Inserts an entry after every entry whose name sorts before or equal to it by {@link
   * SharedKeyStrings#compareHeaderNames}, as {@code SortedPairs.addHeader} does.
   */
  private void addEntry(String[] entryNames, String name, int source) {
    int position = entryCount;
    while (position > 0 && SharedKeyStrings.compareHeaderNames(entryNames[position - 1], name) > 0) {
      entryNames[position] = entryNames[position - 1];
      entrySource[position] = entrySource[position - 1];
      position--;
    }
    entryNames[position] = name;
    entrySource[position] = source;
    entryCount++;
  }

  private void ensureCapacity(int count) {
    if (replaced.length < count) {
      int capacity = Math.max(count, 2 * replaced.length);
      replaced = new boolean[capacity];
      keepValue = new boolean[capacity];
    }
    if (entrySource.length < count + 2) {
      entrySource = new int[count + 2];
      entryPrefix = new byte[count + 2][];
    }
    if (values.length < count + 2) {
      SigningBuffer.EncodedText[] grown = Arrays.copyOf(values, Math.max(count + 2, 2 * values.length));
      for (int i = values.length; i < grown.length; i++) {
        grown[i] = new SigningBuffer.EncodedText();
      }
      values = grown;
    }
  }

  /** Returns whether the request has a header named {@code x-ms-version}, compared without case. */
  public boolean hasVersionHeader() {
    return hasVersionHeader;
  }

  /**
   * Writes the Shared Key string to sign of {@code request}, whose headers this layout was built
   * for, into {@code buffer} as UTF-8, as if {@code x-ms-date} were replaced by {@code msDate} and
   * {@code x-ms-version} added as {@code addedVersion}.
   *
   * @param addedVersion the version to add, non-null exactly when {@link #hasVersionHeader()} is false
   */
  public void writeStringToSign(SigningBuffer buffer, SignableRequest request, String accountName, String msDate,
      String addedVersion) {
    List<Header> headers = request.headers();
    int count = headerCount;
    buffer.appendRemembered(request.method(), method, false).append('\n');
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
      int index = slotHeader[slot];
      if (slot == SharedKeyStrings.CONTENT_LENGTH) {
        writeContentLength(buffer, request, index, addedVersion);
      } else if (index >= 0) {
        appendValue(buffer, index, headers.get(index).value(), true);
      }
      buffer.append('\n');
    }
    for (int k = 0; k < entryCount; k++) {
      int source = entrySource[k];
      byte[] prefix = entryPrefix[k];
      if (prefix == null) {
        buffer.truncate(buffer.length() - 1);
        buffer.append(',');
      } else {
        buffer.append(prefix, 0, prefix.length);
      }
      if (source == ADDED_DATE) {
        buffer.appendRemembered(msDate, values[count], false);
      } else if (source == ADDED_VERSION) {
        buffer.appendRemembered(addedVersion, values[count + 1], false);
      } else {
        appendValue(buffer, source, headers.get(source).value(), true);
      }
      buffer.append('\n');
    }
    URI uri = request.uri();
    buffer.append('/').appendRemembered(accountName, account, false)
        .appendRemembered(SharedKeyStrings.pathOf(uri), path, false);
    SharedKeyStrings.writeCanonicalizedQuery(buffer, uri);
  }

  private void appendValue(SigningBuffer buffer, int index, String value, boolean trim) {
    if (keepValue[index]) {
      buffer.appendRemembered(value, values[index], trim);
    } else {
      buffer.append(trim ? value.trim() : value);
    }
  }

  /**
   * Writes the Content-Length slot, which is the header, or the body length when there is no header.
   * The slot stays empty when the length is 0 and the version is {@value
   * SharedKeyStrings#EMPTY_ZERO_LENGTH_VERSION} or later.
   */
  private void writeContentLength(SigningBuffer buffer, SignableRequest request, int index, String addedVersion) {
    String sent = index >= 0 ? request.headers().get(index).value() : null;
    String value = sent == null ? null : sent.trim();
    if (value == null && request.bodyLength() > 0) {
      value = Long.toString(request.bodyLength());
    }
    if (value == null || ("0".equals(value) && signsZeroLengthAsEmpty(request, addedVersion))) {
      return;
    }
    if (sent != null) {
      appendValue(buffer, index, sent, true);
    } else {
      buffer.append(value);
    }
  }

  private boolean signsZeroLengthAsEmpty(SignableRequest request, String addedVersion) {
    String version = addedVersion;
    if (version == null && firstVersionHeader >= 0) {
      version = request.headers().get(firstVersionHeader).value().trim();
    }
    return version == null || version.compareTo(SharedKeyStrings.EMPTY_ZERO_LENGTH_VERSION) >= 0;
  }

  /**
   * Returns the headers of the signed request: the request's own without {@code x-ms-date} and
   * {@code Authorization}, then {@code date}, {@code version} unless it is null, and {@code
   * authorization}.
   */
  public List<Header> signedHeaders(List<Header> original, Header date, Header version, Header authorization) {
    Header[] headers = new Header[keptCount + (version == null ? 2 : 3)];
    int count = 0;
    for (int i = 0; i < headerCount; i++) {
      if (!replaced[i]) {
        headers[count++] = original.get(i);
      }
    }
    headers[count++] = date;
    if (version != null) {
      headers[count++] = version;
    }
    headers[count] = authorization;
    return List.of(headers);
  }
}
