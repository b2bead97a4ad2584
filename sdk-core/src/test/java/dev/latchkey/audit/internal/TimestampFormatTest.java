package dev.latchkey.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TimestampFormatTest {

  @Property
  void matchesInstantToString(
      @ForAll @LongRange(min = -70_000_000_000L, max = 300_000_000_000L) long epochSecond,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
    Instant instant = Instant.ofEpochSecond(epochSecond, nanos);

    assertThat(TimestampFormat.format(instant)).isEqualTo(instant.toString());
  }

  @Test
  void matchesInstantToStringForEachPrecision() {
    Instant second = Instant.parse("2026-03-01T10:00:00Z");

    for (long nanos : new long[] {0, 1_000_000, 120_000_000, 1000, 123_456_000, 1, 123_456_789}) {
      Instant instant = second.plusNanos(nanos);
      assertThat(TimestampFormat.format(instant)).isEqualTo(instant.toString());
    }
  }
}
