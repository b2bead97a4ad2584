package dev.latchkey.credentials.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The thresholds of the cache's states, computed from a credential's lifetime {@code L} (from the
 * fetch to the expiry {@code E}), and the delays between failed fetches. All values are in
 * milliseconds.
 *
 * <ul>
 *   <li>The refresh window is {@code min(5 min, L/2)}. The refresh time is {@code E} minus the
 *       window minus a random jitter of up to {@link #JITTER_FRACTION} of the window, so caches
 *       that fetched at the same instant do not all refresh at the same instant.
 *   <li>The stale margin is {@code min(1 min, L/10)}, for clock skew and requests still in flight.
 *       From {@code E} minus the margin on, the credential is never served.
 *   <li>The n-th consecutive failure waits {@code min(cap, base * 2^(n-1))}, of which a random
 *       share between half and all is used ("equal jitter").
 * </ul>
 *
 * <p>Because the window is never smaller than the margin, the refresh time always comes before the
 * stale time.
 */
final class RefreshTiming {

  /** The maximum refresh window: 5 minutes. */
  static final long MAX_REFRESH_WINDOW_MILLIS = Duration.ofMinutes(5).toMillis();

  /** The maximum stale margin: 1 minute. */
  static final long MAX_STALE_MARGIN_MILLIS = Duration.ofMinutes(1).toMillis();

  /** The largest jitter, as a share of the refresh window. */
  static final double JITTER_FRACTION = 0.2;

  private RefreshTiming() {}

  static long refreshWindow(long lifetimeMillis) {
    return Math.min(MAX_REFRESH_WINDOW_MILLIS, lifetimeMillis / 2);
  }

  static long staleMargin(long lifetimeMillis) {
    return Math.min(MAX_STALE_MARGIN_MILLIS, lifetimeMillis / 10);
  }

  /** Returns the jittered refresh time of a credential fetched at {@code now} that expires at {@code expiresAt}. */
  static long refreshTime(long now, long expiresAt, RandomGenerator random) {
    long window = refreshWindow(expiresAt - now);
    long jitter = (long) (random.nextDouble() * JITTER_FRACTION * window);
    return expiresAt - window - jitter;
  }

  static long staleTime(long now, long expiresAt) {
    return expiresAt - staleMargin(expiresAt - now);
  }

  /**
   * Returns the delay before the next fetch after {@code failures} consecutive failures.
   *
   * @param failures 1 or more
   */
  static long backoff(int failures, long baseMillis, long capMillis, RandomGenerator random) {
    int doublings = Math.min(failures - 1, 62);
    long uncapped = doublings >= Long.numberOfLeadingZeros(baseMillis) - 1
        ? Long.MAX_VALUE
        : baseMillis << doublings;
    long delay = Math.min(capMillis, uncapped);
    return delay / 2 + (long) (random.nextDouble() * (delay - delay / 2));
  }
}
