package dev.latchkey.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourcePatternTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      s3://reports/2026/*          | s3://reports/2026/q1.csv        | true
      s3://reports/2026/*          | s3://reports/2026/a/q1.csv      | false
      s3://reports/**              | s3://reports/                   | true
      s3://reports/**              | s3://reports                    | true
      s3://reports/*               | s3://reports/                   | true
      s3://reports/**              | s3://reports2/x                 | false
      s3://rep*/**                 | s3://reports/x                  | true
      s3://*/**                    | azure://a/b/x                   | false
      azure://acct/logs/**         | azure://acct/logs/a/b           | true
      azure://acct/logs/**         | azure://other/logs/a            | false
      azure://*/logs/*             | azure://other/logs/a            | true
      azure://acct/*/x             | azure://acct/c/x                | true
      azure://acct/*/x             | azure://acct/c/d/x              | false
      s3://b/a\\*b                 | s3://b/a*b                      | true
      s3://b/a\\*b                 | s3://b/axb                      | false
      s3://b/100%/*                | s3://b/100%/x                   | true
      s3://b/a b/*                 | s3://b/a b/c                    | true
      s3://b/ключ/**               | s3://b/ключ/значение            | true
      """)
  void matchesResources(String pattern, String resource, boolean expected) {
    assertThat(ResourcePattern.parse(pattern).matches(Resource.parse(resource))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      reports/2026/*          | write it as s3://bucket/key-pattern
      s3://reports            | it has no key part
      s3://**                 | it has no key part
      s3://**/x               | ** at index 0 is not allowed here
      azure://acct/**         | it has no key part
      azure://acct//x         | a container or account segment is empty
      S3://b/**               | Invalid scheme 'S3'
      s3://b\\*/x             | escapes are allowed only in the key part
      s3://b/x\\y             | escapes nothing
      """)
  void rejectsInvalidPatterns(String pattern, String message) {
    assertThatThrownBy(() -> ResourcePattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void splitsContainerAndKey() {
    ResourcePattern pattern = ResourcePattern.parse("azure://acct/logs/2026/**");

    assertThat(pattern.scheme()).isEqualTo("azure");
    assertThat(pattern.containerPattern()).isEqualTo("acct/logs");
    assertThat(pattern.keyPattern()).isEqualTo("2026/**");
    assertThat(pattern.hasLiteralContainer()).isTrue();
    assertThat(ResourcePattern.parse("s3://logs-*/x").hasLiteralContainer()).isFalse();
  }

  @Test
  void resourceParsesAzureAccount() {
    Resource resource = Resource.parse("azure://acct/logs/a/b.txt");

    assertThat(resource.account()).isEqualTo("acct");
    assertThat(resource.container()).isEqualTo("logs");
    assertThat(resource.key()).isEqualTo("a/b.txt");
    assertThat(resource.containerKey()).isEqualTo("azure://acct/logs");
  }

  @Test
  void resourceKeepsQuestionMarkAndHash() {
    Resource resource = Resource.parse("s3://b/what?#now");

    assertThat(resource.key()).isEqualTo("what?#now");
    assertThat(resource.toString()).isEqualTo("s3://b/what?#now");
  }

  @Test
  void resourceFromUriDecodesPercentEscapes() {
    Resource resource = Resource.of(URI.create("s3://b/%E5%A0%B1%E5%91%8A/100%25%20x%3F"));

    assertThat(resource.key()).isEqualTo("報告/100% x?");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      b/k                | write it as s3://bucket/key
      s3:///k            | the container is missing
      azure://acct       | the container is missing
      azure:///c/k       | the account is missing
      """)
  void resourceRejectsInvalidText(String resource, String message) {
    assertThatThrownBy(() -> Resource.parse(resource))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
