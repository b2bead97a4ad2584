package dev.latchkey.azure.internal.identity;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the delay of an HTTP {@code Retry-After} header given in seconds (RFC 9110, 10.2.3). */
final class RetryAfter {

  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

  private RetryAfter() {}

  /**
   * Returns the delay in the header, or empty when it is absent or an HTTP date. Dates are ignored
   * because a host with a wrong clock would turn them into arbitrarily long waits.
   */
  static Optional<Duration> parse(String header) {
    if (header == null || !SECONDS.matcher(header.trim()).matches()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
  }
}
