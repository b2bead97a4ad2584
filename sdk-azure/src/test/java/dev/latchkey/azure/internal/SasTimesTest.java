package dev.latchkey.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SasTimesTest {

  @Test
  void formatTruncatesToSecond() {
    assertThat(SasTimes.format(Instant.parse("2026-03-05T07:08:09.750Z"))).isEqualTo("2026-03-05T07:08:09Z");
  }

  @Test
  void formatPadsEveryField() {
    assertThat(SasTimes.format(Instant.parse("2030-01-02T03:04:05Z"))).isEqualTo("2030-01-02T03:04:05Z");
  }

  @Test
  void formatHandlesYearsOutsideFourDigits() {
    assertThat(SasTimes.format(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00Z");
  }
}
