package dev.latchkey.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeXmlTest {

  @Test
  void parsesNestedElementsAndAttributes() {
    XmlElement root = SafeXml.parse(bytes("<Error><Code>BlobNotFound</Code><Name Encoded=\"true\">a%20b</Name></Error>"));

    assertThat(root.name()).isEqualTo("Error");
    assertThat(root.childText("Code")).isEqualTo("BlobNotFound");
    assertThat(root.child("Name").attribute("Encoded")).isEqualTo("true");
    assertThat(root.childText("Missing")).isNull();
  }

  @Test
  void rejectsDtdWithExternalEntity() {
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><e>&x;</e>";

    assertThatThrownBy(() -> SafeXml.parse(bytes(xml))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsEntityExpansion() {
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><e>&b;</e>";

    assertThatThrownBy(() -> SafeXml.parse(bytes(xml))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsDeepNesting() {
    assertThatThrownBy(() -> SafeXml.parse(bytes("<a>".repeat(SafeXml.MAX_DEPTH + 1) + "</a>".repeat(SafeXml.MAX_DEPTH + 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deeper than 32");
  }

  @Test
  void rejectsMalformedXml() {
    assertThatThrownBy(() -> SafeXml.parse(bytes("<Error><Code>x</Error>")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Malformed XML");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
