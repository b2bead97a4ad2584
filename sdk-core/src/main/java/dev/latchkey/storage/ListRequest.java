package dev.latchkey.storage;

import java.util.Objects;

/**
 * The request for one page of a listing: objects of a container whose keys start with a prefix.
 *
 * @param container the bucket or container
 * @param prefix the key prefix, or {@code ""} for all keys
 * @param delimiter the character that groups keys into common prefixes (usually {@code /}), or
 *     {@code null} for a flat listing
 * @param continuationToken the token of the previous page, or {@code null} for the first page
 * @param maxResults the maximum number of entries on the page, 1 to 5,000; S3 returns at most 1,000
 *     and Azure at most 5,000, and either may return fewer
 */
public record ListRequest(
    String container, String prefix, String delimiter, String continuationToken, int maxResults) {

  /** The page size when none is given: 1,000, the S3 default. */
  public static final int DEFAULT_MAX_RESULTS = 1000;

  public ListRequest {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(prefix, "prefix");
    if (container.isEmpty()) {
      throw new IllegalArgumentException("Invalid container name '': name the bucket or container");
    }
    if (maxResults < 1 || maxResults > 5000) {
      throw new IllegalArgumentException("Invalid page size " + maxResults + ": use 1 to 5000");
    }
  }

  /** Returns the request for the first page of keys with this prefix and no delimiter. */
  public static ListRequest of(String container, String prefix) {
    return new ListRequest(container, prefix, null, null, DEFAULT_MAX_RESULTS);
  }

  /** Returns the same request for the page after the one that returned {@code token}. */
  public ListRequest withContinuationToken(String token) {
    return new ListRequest(container, prefix, delimiter, token, maxResults);
  }
}
