package dev.latchkey.s3.internal;

import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The S3 rules for user-defined metadata, checked before a request is built, and its headers. */
public final class S3UserMetadata {

  /**
   * The maximum size of user-defined metadata that S3 accepts: 2 KB, counted as the sum of the UTF-8
   * byte lengths of every name (without {@code x-amz-meta-}) and value.
   */
  public static final int MAX_BYTES = 2048;

  private static final String PREFIX = "x-amz-meta-";
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private S3UserMetadata() {}

  /**
   * Checks the names and the total size. {@code PutRequest} has already checked the values and
   * repeated names.
   *
   * @throws IllegalArgumentException if a name is not an HTTP token or the metadata is over 2 KB
   */
  public static void check(ObjectRef ref, Map<String, String> metadata) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String name = entry.getKey();
      int bad = firstNonTokenIndex(name);
      if (bad >= 0) {
        throw new IllegalArgumentException(String.format("Invalid user metadata name '%s' for s3://%s/%s: character"
            + " U+%04X at index %d is not allowed in an HTTP header name. Use ASCII letters, digits and %s",
            escape(name), ref.container(), ref.key(), (int) name.charAt(bad), bad, TOKEN_SYMBOLS));
      }
      bytes += name.getBytes(StandardCharsets.UTF_8).length + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException("Invalid user metadata for s3://" + ref.container() + "/" + ref.key()
          + ": names and values take " + bytes + " bytes, over the S3 limit of " + MAX_BYTES
          + " bytes. Store large values in the object or a separate object");
    }
  }

  /** Adds one {@code x-amz-meta-NAME} header per entry to a request that is still to be signed. */
  public static SignableRequest.Builder addHeaders(SignableRequest.Builder request, Map<String, String> metadata) {
    metadata.forEach((name, value) -> request.addHeader(PREFIX + name, value));
    return request;
  }

  private static int firstNonTokenIndex(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return i;
      }
    }
    return -1;
  }

  /** Escapes control characters, so a line break in a name cannot forge a log line. */
  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    text.chars().forEach(c -> escaped.append(Character.isISOControl(c) ? String.format("\\u%04X", c)
        : String.valueOf((char) c)));
    return escaped.toString();
  }
}
