package dev.latchkey.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectMetadataTest {

  @Test
  void toStringLeavesMetadataValuesOut() {
    ObjectMetadata metadata = new ObjectMetadata(ObjectRef.of("reports", "q1.csv"), 12, "\"abc\"", "text/csv",
        Instant.parse("2026-03-05T07:08:09Z"), Map.of("api-token", "value-that-must-not-print"));

    String text = metadata.toString();

    assertThat(text).contains("api-token");
    assertThat(text).contains("q1.csv");
    assertThat(text).contains("text/csv");
    assertThat(text).doesNotContain("value-that-must-not-print");
  }
}
