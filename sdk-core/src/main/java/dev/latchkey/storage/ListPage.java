package dev.latchkey.storage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param objects the objects on this page, in the service's order (by key, in UTF-8 byte order)
 * @param commonPrefixes the prefixes that group keys when a delimiter was given; otherwise empty
 * @param nextContinuationToken the token for the next page, or {@code null} on the last page
 */
public record ListPage(List<ObjectSummary> objects, List<String> commonPrefixes, String nextContinuationToken) {

  public ListPage {
    objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
    commonPrefixes = List.copyOf(Objects.requireNonNull(commonPrefixes, "commonPrefixes"));
  }

  public Optional<String> nextToken() {
    return Optional.ofNullable(nextContinuationToken);
  }

  /** One object of a listing. */
  public record ObjectSummary(String key, long size, String eTag, java.time.Instant lastModified) {
    public ObjectSummary {
      Objects.requireNonNull(key, "key");
    }
  }
}
