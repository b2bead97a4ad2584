package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Searches the Surefire output files of this module's tests for every canary secret they used, as
 * written, in Base64 and URL-encoded. Maven runs this class in its own execution after the others
 * (see the module's pom.xml), so the files are complete.
 */
class TestOutputCanaryTest {

  private static final Path REPORTS = Path.of("target", "surefire-reports");

  @Test
  void testOutputHoldsNoCanarySecret() throws IOException {
    assumeTrue(Files.exists(Canary.SECRETS_FILE), "no test of this run recorded canary secrets");
    List<String> secrets = Files.readAllLines(Canary.SECRETS_FILE, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank()).distinct().toList();
    List<Path> outputs;
    try (Stream<Path> files = Files.list(REPORTS)) {
      outputs = files.filter(file -> file.getFileName().toString().endsWith("-output.txt"))
          .filter(file -> !file.getFileName().toString().contains(getClass().getSimpleName()))
          .toList();
    }

    assertThat(secrets).as("canary secrets recorded").contains(Canary.CLIENT_SECRET);
    assertThat(outputs).as("Surefire output files in " + REPORTS.toAbsolutePath()).isNotEmpty();
    for (Path output : outputs) {
      String text = Files.readString(output, StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        for (String form : Canary.forms(secret)) {
          assertThat(text.contains(form)).as("%s contains a form of a canary secret", output.getFileName()).isFalse();
        }
      }
    }
  }
}
