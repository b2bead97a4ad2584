package dev.latchkey.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      2026/q1.csv        | 2026/q1.csv          | true
      2026/q1.csv        | 2026/q1.csvx         | false
      ""                 | ""                   | true
      ""                 | a                    | false
      2026/*             | 2026/q1.csv          | true
      2026/*             | 2026/                | true
      2026/*             | 2026/q1/a.csv        | false
      2026/*             | 2025/q1.csv          | false
      2026/**            | 2026/q1/a.csv        | true
      2026/**            | 2026/                | true
      2026/**            | 2026                 | false
      **                 | ""                   | true
      **                 | a/b/c                | true
      *                  | a/b                  | false
      *.csv              | q1.csv               | true
      *.csv              | dir/q1.csv           | false
      **.csv             | dir/q1.csv           | true
      **.csv             | dir/q1.csv.gz        | false
      */logs/*.gz        | app/logs/x.gz        | true
      */logs/*.gz        | app/sub/logs/x.gz    | false
      **/logs/*.gz       | a/b/logs/x.gz        | true
      **/logs/*.gz       | a/b/logs/c/x.gz      | false
      a*b*c              | abc                  | true
      a*b*c              | a-b-b-c              | true
      a*b*c              | a-b-c-d              | false
      a*b*c              | a/b/c                | false
      a**b*c             | a/x/b-c              | true
      a**b*c             | a/x/b/c              | false
      a**b*c             | a/x/b/bc             | true
      a**b*c             | a/x/b/d              | false
      x\\*y              | x*y                  | true
      x\\*y              | xzy                  | false
      x\\*               | x*                   | true
      x\\*               | xa                   | false
      x\\\\y             | x\\y                 | true
      x\\\\*             | x\\abc               | true
      100%25             | 100%25               | true
      100%25             | 100%                 | false
      a b/*              | a b/c d              | true
      été/*              | été/x                | true
      été/*              | ete/x                | false
      日本/**            | 日本/報告/一.csv        | true
      *🔑*               | a🔑b                 | true
      """)
  void matchesTable(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, true).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a\\b     | escapes nothing
      a\\      | escapes nothing
      a***     | 3 '*' in a row
      """)
  void rejectsMalformedPatterns(String pattern, String message) {
    assertThatThrownBy(() -> Glob.compile(pattern, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageContaining(pattern);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"a/**", "**"})
  void rejectsDoubleStarWhereNotAllowed(String pattern) {
    assertThatThrownBy(() -> Glob.compile(pattern, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("** at index");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      2026/q1.csv  | true  | false | false | 2026/q1.csv
      2026/**      | false | true  | false | 2026/
      2026/*       | false | false | true  | 2026/
      2026/*.csv   | false | false | false | 2026/
      a\\*b/**     | false | true  | false | a*b/
      """)
  void reportsShape(String pattern, boolean literal, boolean prefixDoubleStar, boolean prefixStar,
      String prefix) {
    Glob glob = Glob.compile(pattern, true);

    assertThat(glob.isLiteral()).isEqualTo(literal);
    assertThat(glob.isPrefixThenDoubleStar()).isEqualTo(prefixDoubleStar);
    assertThat(glob.isPrefixThenStar()).isEqualTo(prefixStar);
    assertThat(glob.literalPrefix()).isEqualTo(prefix);
  }
}
