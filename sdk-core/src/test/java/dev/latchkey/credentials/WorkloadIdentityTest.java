package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadIdentityTest {

  @ParameterizedTest
  @ValueSource(strings = {" ", "   ", "\u2003", " \u00a0 "})
  void blankNameIsRejected(String name) {
    assertThatThrownBy(() -> WorkloadIdentity.of(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity name '" + name + "'")
        .hasMessageContaining("only whitespace");
  }

  @Test
  void nameWithLineBreakIsRejectedAndEscaped() {
    assertThatThrownBy(() -> WorkloadIdentity.of("billing\nforged: admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity name 'billing\\u000Aforged: admin'")
        .hasMessageContaining("control character")
        .hasMessageNotContaining("\n");
  }

  @Test
  void nameWithTabIsRejected() {
    assertThatThrownBy(() -> WorkloadIdentity.of("\tjob"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'\\u0009job'");
  }

  @Test
  void emptyNameIsRejected() {
    assertThatThrownBy(() -> WorkloadIdentity.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity name ''")
        .hasMessageContaining("use 1 to 256 characters");
  }

  @Test
  void overlongNameIsCutInMessage() {
    String name = "n".repeat(300);

    assertThatThrownBy(() -> WorkloadIdentity.of(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + "n".repeat(64) + "'...")
        .hasMessageContaining("(300 characters)")
        .hasMessageNotContaining("n".repeat(65));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "team\r", "\u0085"})
  void invalidAttributeKeyIsRejected(String key) {
    WorkloadIdentity identity = WorkloadIdentity.of("exporter");

    assertThatThrownBy(() -> identity.withAttribute(key, "finance"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid attribute name '");
  }

  @Test
  void nameWithInnerSpacesIsAccepted() {
    WorkloadIdentity identity = WorkloadIdentity.of("nightly export job").withAttribute("env", "prod");

    assertThat(identity.name()).isEqualTo("nightly export job");
    assertThat(identity.attribute("env")).isEqualTo("prod");
  }
}
