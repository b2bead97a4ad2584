package dev.latchkey.storage;

import java.util.Objects;

/**
 * One object in a storage service: an S3 bucket and key, or an Azure container and blob name.
 *
 * <p>The key is kept as the application wrote it: slashes, dot segments, spaces and non-ASCII
 * characters are part of the name and are encoded by the backend, never normalized.
 *
 * @param container the S3 bucket or Azure container
 * @param key the object key or blob name
 */
public record ObjectRef(String container, String key) {

  public ObjectRef {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(key, "key");
    if (container.isEmpty()) {
      throw new IllegalArgumentException("Invalid container name '': name the bucket or container");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid object key '' in container '" + container + "': name the object");
    }
  }

  public static ObjectRef of(String container, String key) {
    return new ObjectRef(container, key);
  }
}
