package dev.latchkey.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * A request for a URL that lets its holder read or write one object without credentials of its own.
 *
 * @param ref the object
 * @param method {@link Method#GET} for a download URL, {@link Method#PUT} for an upload URL
 * @param expiry how long the URL stays valid, from 1 second to 7 days; backends shorten it to the
 *     lifetime of the credential that signs it
 */
public record PresignRequest(ObjectRef ref, Method method, Duration expiry) {

  /** The longest expiry SigV4 allows for a presigned URL: 7 days. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(7);

  /** The HTTP methods a presigned URL can grant. */
  public enum Method { GET, PUT }

  public PresignRequest {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(expiry, "expiry");
    if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          "Invalid presigned URL expiry " + expiry + ": use 1 second to 7 days (PT168H)");
    }
  }
}
