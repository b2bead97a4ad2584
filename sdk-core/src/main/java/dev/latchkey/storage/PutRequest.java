package dev.latchkey.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An upload request: the object, its content, its media type and its user-defined metadata.
 *
 * <p>User metadata is sent as {@code x-amz-meta-NAME} headers to S3 and {@code x-ms-meta-NAME}
 * headers to Azure Blob Storage. This type checks what every backend needs, and each backend checks
 * its service's own rules before it sends anything:
 *
 * <ul>
 *   <li>Here, names must not be empty and must differ in more than letter case, because both
 *       services treat names case-insensitively. Values may contain only printable ASCII characters
 *       (U+0020 to U+007E) and tabs, and must neither start nor end with a space or tab, which HTTP
 *       would drop.
 *   <li>{@code S3Backend} requires names that are HTTP tokens, and names and values that together
 *       take at most 2 KB (2,048 bytes).
 *   <li>{@code BlobBackend} requires names that are ASCII C# identifiers, and names and values that
 *       together take at most 8 KB (8,192 bytes).
 * </ul>
 *
 * <p>Metadata values can contain confidential data, so no error message, {@link #toString()} or
 * audit event of Latchkey contains them. Messages name the metadata entry instead.
 *
 * @param ref the object
 * @param body the content
 * @param contentType the media type sent as {@code Content-Type}, or {@code null} for the backend's
 *     default
 * @param userMetadata user-defined metadata by name, in the order given; empty for none
 */
public record PutRequest(ObjectRef ref, ObjectBody body, String contentType, Map<String, String> userMetadata) {

  /**
   * Creates an upload request.
   *
   * @throws IllegalArgumentException if a metadata name is empty or repeats another in a different
   *     letter case, or a value contains a character other than printable ASCII and tab, or starts or
   *     ends with whitespace
   */
  public PutRequest {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(body, "body");
    userMetadata = checkedCopy(ref, Objects.requireNonNull(userMetadata, "userMetadata"));
  }

  /** Returns an upload request without user metadata. */
  public static PutRequest of(ObjectRef ref, ObjectBody body, String contentType) {
    return new PutRequest(ref, body, contentType, Map.of());
  }

  /** Returns a builder for an upload of {@code body} to {@code ref}. */
  public static Builder builder(ObjectRef ref, ObjectBody body) {
    return new Builder(ref, body);
  }

  /** Returns the object, the media type and the metadata names, but no metadata values. */
  @Override
  public String toString() {
    return "PutRequest[ref=" + ref + ", contentType=" + contentType + ", userMetadataNames=" + userMetadata.keySet()
        + "]";
  }

  private static Map<String, String> checkedCopy(ObjectRef ref, Map<String, String> metadata) {
    if (metadata.isEmpty()) {
      return Map.of();
    }
    Map<String, String> byLowerCase = new LinkedHashMap<>();
    Map<String, String> copy = new LinkedHashMap<>();
    metadata.forEach((name, value) -> {
      Objects.requireNonNull(name, "user metadata name");
      Objects.requireNonNull(value, () -> "value of user metadata '" + name + "'");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("Invalid user metadata name '' for " + describe(ref) + ": name the entry");
      }
      String earlier = byLowerCase.put(name.toLowerCase(Locale.ROOT), name);
      if (earlier != null) {
        throw new IllegalArgumentException("Invalid user metadata name '" + name + "' for " + describe(ref)
            + ": it repeats '" + earlier + "', and S3 and Azure treat names case-insensitively. Keep one of them");
      }
      checkValue(ref, name, value);
      copy.put(name, value);
    });
    return Collections.unmodifiableMap(copy);
  }

  private static void checkValue(ObjectRef ref, String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        // The message leaves out the character and its position, because the value may be confidential.
        throw new IllegalArgumentException("Invalid value of user metadata '" + name + "' for " + describe(ref)
            + ": it contains a character that cannot be sent in an HTTP header; use printable ASCII characters"
            + " (U+0020 to U+007E) and tabs, and encode other text, for example as Base64");
      }
    }
    if (!value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
      throw new IllegalArgumentException("Invalid value of user metadata '" + name + "' for " + describe(ref)
          + ": it starts or ends with a space or tab, which HTTP drops. Trim the value");
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static String describe(ObjectRef ref) {
    return "'" + ref.key() + "' in '" + ref.container() + "'";
  }

  /** Builder for {@link PutRequest}. It is not thread-safe. */
  public static final class Builder {
    private final ObjectRef ref;
    private final ObjectBody body;
    private final Map<String, String> userMetadata = new LinkedHashMap<>();
    private String contentType;

    private Builder(ObjectRef ref, ObjectBody body) {
      this.ref = Objects.requireNonNull(ref, "ref");
      this.body = Objects.requireNonNull(body, "body");
    }

    /** Sets the media type. The default is {@code null}, which selects the backend's default. */
    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    /** Adds one user metadata entry, replacing an entry of exactly the same name. */
    public Builder userMetadata(String name, String value) {
      userMetadata.put(Objects.requireNonNull(name, "user metadata name"),
          Objects.requireNonNull(value, () -> "value of user metadata '" + name + "'"));
      return this;
    }

    /** Adds user metadata entries, replacing entries of exactly the same names. */
    public Builder userMetadata(Map<String, String> entries) {
      Objects.requireNonNull(entries, "userMetadata").forEach(this::userMetadata);
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalArgumentException if the metadata breaks a rule of {@link PutRequest}
     */
    public PutRequest build() {
      return new PutRequest(ref, body, contentType, userMetadata);
    }
  }
}
