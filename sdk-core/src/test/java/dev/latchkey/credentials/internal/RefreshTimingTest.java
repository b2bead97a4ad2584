package dev.latchkey.credentials.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RefreshTimingTest {

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  @Test
  void shortLifetimeUsesHalfAndTenth() {
    long lifetime = 10 * SECOND;

    assertThat(RefreshTiming.refreshWindow(lifetime)).isEqualTo(5 * SECOND);
    assertThat(RefreshTiming.staleMargin(lifetime)).isEqualTo(SECOND);
  }

  @Test
  void longLifetimeUsesFixedCaps() {
    long lifetime = 12 * HOUR;

    assertThat(RefreshTiming.refreshWindow(lifetime)).isEqualTo(5 * MINUTE);
    assertThat(RefreshTiming.staleMargin(lifetime)).isEqualTo(MINUTE);
  }

  @Test
  void refreshTimeComesBeforeStaleTime() {
    SplittableRandom random = new SplittableRandom(3);
    long[] lifetimes = {1, 9, 10, 999, 10 * SECOND, 11 * MINUTE, 12 * HOUR, 36 * HOUR};

    for (long lifetime : lifetimes) {
      for (int draw = 0; draw < 1_000; draw++) {
        long refreshAt = RefreshTiming.refreshTime(0, lifetime, random);
        assertThat(refreshAt).as("refresh time for lifetime %d ms", lifetime).isBetween(0L, lifetime);
        assertThat(refreshAt).as("refresh time for lifetime %d ms", lifetime)
            .isLessThanOrEqualTo(RefreshTiming.staleTime(0, lifetime));
      }
    }
  }

  @Test
  void jitterStaysInsideFifthOfWindow() {
    SplittableRandom random = new SplittableRandom(5);
    long expiry = 12 * HOUR;

    for (int draw = 0; draw < 1_000; draw++) {
      assertThat(RefreshTiming.refreshTime(0, expiry, random))
          .isBetween(expiry - 6 * MINUTE, expiry - 5 * MINUTE);
    }
  }

  @Test
  void backoffDoublesUpToCap() {
    SplittableRandom random = new SplittableRandom(9);
    long base = SECOND;
    long cap = 8 * SECOND;
    long[] expectedCeilings = {SECOND, 2 * SECOND, 4 * SECOND, 8 * SECOND, 8 * SECOND, 8 * SECOND};

    for (int failures = 1; failures <= expectedCeilings.length; failures++) {
      long ceiling = expectedCeilings[failures - 1];
      for (int draw = 0; draw < 200; draw++) {
        assertThat(RefreshTiming.backoff(failures, base, cap, random))
            .as("delay after %d failures", failures)
            .isBetween(ceiling / 2, ceiling);
      }
    }
  }

  @Test
  void backoffDoesNotOverflowAfterManyFailures() {
    SplittableRandom random = new SplittableRandom(1);
    long cap = Duration.ofDays(1).toMillis();

    assertThat(RefreshTiming.backoff(1_000_000, Duration.ofDays(1).toMillis(), cap, random))
        .isBetween(cap / 2, cap);
    assertThat(RefreshTiming.backoff(63, 1, cap, random)).isBetween(cap / 2, cap);
    assertThat(RefreshTiming.backoff(64, 3, cap, random)).isBetween(cap / 2, cap);
  }
}
