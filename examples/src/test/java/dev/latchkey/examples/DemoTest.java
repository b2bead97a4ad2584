package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's demo, shortened, and checks its exit status and summary. */
class DemoTest {

  private static final String SUMMARY =
      " summary: requests=(\\d+) refreshes=(\\d+) denied_by_policy=(\\d+) denied_by_server=(\\d+) failed=(\\d+)";

  @Test
  void demoPassesItsChecks(@TempDir Path output) throws Exception {
    DemoOptions options = new DemoOptions(Duration.ofSeconds(14), Duration.ofSeconds(5), Duration.ofSeconds(8), output);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int status;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      status = Demo.run(options);
    } finally {
      System.setOut(original);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    original.print(text);

    assertThat(status).as(text).isZero();
    checkSummary(text, "S3");
    if (!text.contains("Azure Blob part skipped")) {
      checkSummary(text, "Azure");
    }
    assertThat(text).contains("hash chain intact");
  }

  private static void checkSummary(String text, String backend) {
    Matcher summary = Pattern.compile(backend + SUMMARY).matcher(text);
    assertThat(summary.find()).as(text).isTrue();
    assertThat(Integer.parseInt(summary.group(1))).as("requests").isGreaterThanOrEqualTo(7);
    assertThat(Integer.parseInt(summary.group(2))).as("refreshes").isGreaterThanOrEqualTo(2);
    assertThat(Integer.parseInt(summary.group(3))).as("denied by policy").isEqualTo(1);
    assertThat(Integer.parseInt(summary.group(4))).as("denied by server").isEqualTo(1);
    assertThat(Integer.parseInt(summary.group(5))).as("failed").isZero();
  }

  @Test
  void badOptionIsNamed() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoOptions.parse("--credential-lifetime", "2s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--credential-lifetime")
        .hasMessageContaining("4 seconds");
  }
}
