package dev.latchkey.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a storage service reports about one object.
 *
 * <p>{@link #toString()} lists the user metadata names but not their values, which can hold
 * confidential data.
 *
 * @param ref the object
 * @param size the size in bytes, or -1 when the service did not say (the answer to a put)
 * @param eTag the entity tag as the service sent it, or {@code null}
 * @param contentType the media type, or {@code null}
 * @param lastModified the last modification time, or {@code null}
 * @param userMetadata user-defined metadata (S3 {@code x-amz-meta-*}, Azure {@code x-ms-meta-*}), with
 *     names in lower case; unmodifiable
 */
public record ObjectMetadata(
    ObjectRef ref,
    long size,
    String eTag,
    String contentType,
    Instant lastModified,
    Map<String, String> userMetadata) {

  public ObjectMetadata {
    Objects.requireNonNull(ref, "ref");
    userMetadata = Map.copyOf(Objects.requireNonNull(userMetadata, "userMetadata"));
  }

  /** Returns every component, with the user metadata names only, in sorted order. */
  @Override
  public String toString() {
    return "ObjectMetadata[ref=" + ref + ", size=" + size + ", eTag=" + eTag + ", contentType=" + contentType
        + ", lastModified=" + lastModified + ", userMetadataNames=" + new TreeSet<>(userMetadata.keySet()) + "]";
  }
}
