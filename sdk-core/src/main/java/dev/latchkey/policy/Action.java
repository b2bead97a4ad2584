package dev.latchkey.policy;

import dev.latchkey.storage.PresignRequest;
import java.util.Objects;

/**
 * The kind of operation a request performs on a resource.
 *
 * <p>A presigned URL is checked as the action it grants to its holder: a download URL ({@code GET})
 * as {@link #READ} and an upload URL ({@code PUT}) as {@link #WRITE}, on the object the URL names.
 * Reading metadata ({@code HEAD}) is {@link #READ}.
 */
public enum Action {
  /** Downloading an object or reading its metadata. */
  READ,
  /** Uploading an object, replacing it if it exists. */
  WRITE,
  /** Deleting an object. */
  DELETE,
  /** Listing the keys of a container under a prefix. */
  LIST;

  /**
   * Returns the action a presigned URL grants: {@link #READ} for {@code GET}, {@link #WRITE} for
   * {@code PUT}.
   */
  public static Action forPresign(PresignRequest.Method method) {
    Objects.requireNonNull(method, "method");
    return switch (method) {
      case GET -> READ;
      case PUT -> WRITE;
    };
  }
}
