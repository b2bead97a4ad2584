package dev.latchkey.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PutRequestTest {

  private static final ObjectRef REF = ObjectRef.of("reports", "2026/q1.csv");
  private static final ObjectBody BODY = ObjectBody.ofBytes(new byte[] {1});

  @Test
  void builderKeepsMetadataInOrder() {
    PutRequest request = PutRequest.builder(REF, BODY).contentType("text/csv").userMetadata("b", "2")
        .userMetadata(Map.of("a", "1")).build();

    assertThat(request.userMetadata().keySet()).containsExactly("b", "a");
    assertThat(request.contentType()).isEqualTo("text/csv");
    assertThatThrownBy(() -> request.userMetadata().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void metadataIsCopied() {
    Map<String, String> metadata = new LinkedHashMap<>(Map.of("owner", "ops"));
    PutRequest request = new PutRequest(REF, BODY, null, metadata);

    metadata.put("owner", "changed");

    assertThat(request.userMetadata()).containsExactly(Map.entry("owner", "ops"));
  }

  @Test
  void toStringLeavesValuesOut() {
    PutRequest request = PutRequest.builder(REF, BODY).userMetadata("api-token", "value-that-must-not-print").build();

    assertThat(request.toString()).contains("api-token").doesNotContain("value-that-must-not-print");
  }

  @Test
  void emptyNameIsRejected() {
    assertThatThrownBy(() -> PutRequest.builder(REF, BODY).userMetadata("", "x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid user metadata name ''");
  }

  @Test
  void caseInsensitiveDuplicateIsRejected() {
    assertThatThrownBy(() -> PutRequest.builder(REF, BODY).userMetadata("owner", "a").userMetadata("Owner", "b")
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Owner'")
        .hasMessageContaining("repeats 'owner'");
  }

  @Test
  void invalidValuesAreRejectedWithoutQuotingThem() {
    for (String value : List.of("line\nbreak", "nul\u0000", "del\u007f", "é", "日本", " leading", "trailing\t")) {
      assertThatThrownBy(() -> PutRequest.builder(REF, BODY).userMetadata("note", value).build())
          .as(value)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid value of user metadata 'note'")
          .hasMessageNotContaining(value);
    }
  }

  @Test
  void printableValuesAreAccepted() {
    String printable = "a\tb ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}";

    PutRequest request = PutRequest.builder(REF, BODY).userMetadata("note", printable).userMetadata("empty", "")
        .build();

    assertThat(request.userMetadata()).containsEntry("note", printable).containsEntry("empty", "");
  }
}
