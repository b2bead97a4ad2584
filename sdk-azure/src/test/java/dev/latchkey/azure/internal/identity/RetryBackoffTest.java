package dev.latchkey.azure.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  private final RetryBackoff backoff =
      new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(70));

  @Test
  void delaysDoubleUpToTheMaximum() {
    assertThat(delay(1, 0)).contains(Duration.ofSeconds(1));
    assertThat(delay(2, 1)).contains(Duration.ofSeconds(2));
    assertThat(delay(3, 3)).contains(Duration.ofSeconds(4));
    assertThat(delay(5, 15)).contains(Duration.ofSeconds(16));
    assertThat(delay(40, 20)).contains(Duration.ofSeconds(16));
  }

  @Test
  void lastDelayEndsExactlyAtTheBudget() {
    assertThat(delay(8, 63)).contains(Duration.ofSeconds(7));
  }

  @Test
  void spentBudgetStopsRetries() {
    assertThat(delay(9, 70)).isEmpty();
    assertThat(delay(9, 71)).isEmpty();
  }

  @Test
  void scheduleCoversSeventySeconds() {
    List<Duration> delays = new ArrayList<>();
    Duration elapsed = Duration.ZERO;
    for (int failed = 1; ; failed++) {
      Optional<Duration> next = backoff.nextDelay(failed, elapsed, Optional.empty());
      if (next.isEmpty()) {
        break;
      }
      delays.add(next.get());
      elapsed = elapsed.plus(next.get());
    }

    assertThat(elapsed).isEqualTo(Duration.ofSeconds(70));
    assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 16L, 16L, 7L);
  }

  @Test
  void retryAfterReplacesTheExponentialDelay() {
    assertThat(backoff.nextDelay(1, Duration.ZERO, Optional.of(Duration.ofSeconds(5))))
        .contains(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterShorterThanBackoffKeepsBackoff() {
    assertThat(backoff.nextDelay(3, Duration.ofSeconds(3), Optional.of(Duration.ZERO)))
        .contains(Duration.ofSeconds(4));
    assertThat(backoff.nextDelay(3, Duration.ofSeconds(3), Optional.of(Duration.ofSeconds(2))))
        .contains(Duration.ofSeconds(4));
  }

  @Test
  void retryAfterIsCappedByTheBudget() {
    assertThat(backoff.nextDelay(1, Duration.ofSeconds(60), Optional.of(Duration.ofSeconds(3600))))
        .contains(Duration.ofSeconds(10));
  }

  @Test
  void zeroBudgetNeverRetries() {
    RetryBackoff none = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ZERO);

    assertThat(none.nextDelay(1, Duration.ZERO, Optional.empty())).isEmpty();
  }

  private Optional<Duration> delay(int failedAttempts, long elapsedSeconds) {
    return backoff.nextDelay(failedAttempts, Duration.ofSeconds(elapsedSeconds), Optional.empty());
  }
}
