package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void readsStartUntilMoved() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-01T10:00:00Z"));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
  }

  @Test
  void advanceMovesByNanoseconds() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-01T10:00:00Z"));

    clock.advance(Duration.ofNanos(1_500_000_001));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:01.500000001Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2026-03-01T10:00:01.500Z").toEpochMilli());
  }

  @Test
  void setMovesBackwards() {
    FakeClock clock = FakeClock.create();

    clock.set(Instant.parse("1999-12-31T23:59:59Z"));

    assertThat(clock.instant()).isEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
  }

  @Test
  void negativeAdvanceIsRejected() {
    FakeClock clock = FakeClock.create();

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }
}
