package dev.latchkey.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.latchkey.storage.ObjectRef;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserMetadataRulesTest {

  private static final ObjectRef REF = ObjectRef.of("bucket", "key.txt");

  /** Lower-case letters anywhere, digits after the first character, at most 10 bytes. */
  private static final UserMetadataRules RULES = new UserMetadataRules("Test Service", "thing", 10,
      (c, index) -> (c >= 'a' && c <= 'z') || (index > 0 && c >= '0' && c <= '9'),
      ". Use lower-case letters",
      ref -> "thing " + ref.container() + ":" + ref.key());

  @Test
  void metadataAtLimitPasses() {
    assertThatNoException().isThrownBy(() -> RULES.check(REF, Map.of("ab1", "1234567")));
  }

  @Test
  void invalidNameNamesCharacterAndIndex() {
    assertThatThrownBy(() -> RULES.check(REF, Map.of("ab-c", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid user metadata name 'ab-c' for thing bucket:key.txt: character U+002D at index 2 is"
            + " not allowed. Use lower-case letters");
  }

  @Test
  void ruleGetsCharacterIndex() {
    assertThatThrownBy(() -> RULES.check(REF, Map.of("1a", "v")))
        .hasMessageContaining("character U+0031 at index 0");
  }

  @Test
  void controlCharacterInNameIsEscaped() {
    assertThatThrownBy(() -> RULES.check(REF, Map.of("a\nb", "v")))
        .hasMessageStartingWith("Invalid user metadata name 'a\\u000Ab' for")
        .hasMessageNotContaining("\n");
  }

  @Test
  void sizeCountsUtf8BytesOfNamesAndValues() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("ab", "é");
    metadata.put("cd", "éé");

    // 2 + 2 + 2 + 4 = 10 bytes: at the limit, although the strings have 7 characters.
    assertThatNoException().isThrownBy(() -> RULES.check(REF, metadata));
    metadata.put("e", "");
    assertThatThrownBy(() -> RULES.check(REF, metadata))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid user metadata for thing bucket:key.txt: names and values take 11 bytes, over the"
            + " Test Service limit of 10 bytes. Store large values in the thing or a separate thing");
  }

  @Test
  void nonPositiveLimitIsRejected() {
    assertThatThrownBy(() -> new UserMetadataRules("S", "o", 0, (c, index) -> true, "", ref -> ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes 0");
  }

  @Test
  void emptyMetadataPasses() {
    assertThatNoException().isThrownBy(() -> RULES.check(REF, Map.of()));
  }

  @Test
  void escapeKeepsPrintableCharacters() {
    assertThat(UserMetadataRules.escapeControlCharacters("tab\there é")).isEqualTo("tab\\u0009here é");
  }
}
