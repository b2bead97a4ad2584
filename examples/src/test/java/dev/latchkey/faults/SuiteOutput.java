package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.Canary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files one module's tests wrote, and the canary secrets they listed, for the search in {@link
 * TestOutputCanaryTest}.
 *
 * <p>The files are everything in {@code target/surefire-reports/} (console output with the log
 * lines, and the reports with the messages and stack traces of failed tests), everything in {@code
 * target/canary/} except the list of secrets (exceptions the tests caught, audit files), and the
 * {@code .jsonl} audit files under {@code target/test-tmp/}, where sdk-core keeps its test folders.
 */
record SuiteOutput(Path module, List<String> secrets, List<Path> files) {

  /** A DEBUG line of a Latchkey logger in the layout of the modules' {@code logback-test.xml}. */
  private static final Pattern LATCHKEY_DEBUG_LINE =
      Pattern.compile("(?m)^\\S+ DEBUG \\[.*\\] d(ev)?\\.l(atchkey)?\\.");

  /**
   * Collects the output of the module in {@code module}, and fails if its tests have not run with a
   * canary: no Surefire output files, no DEBUG line of a Latchkey logger in them, or no listed secret
   * that contains the marker. Files whose names contain {@code ownName} are left out, so the scan
   * does not search its own output.
   */
  static SuiteOutput collect(Path module, String ownName) {
    Path reports = module.resolve("target").resolve("surefire-reports");
    Path canary = module.resolve(Canary.DIRECTORY);
    Path secretsFile = module.resolve(Canary.SECRETS_FILE);
    assertThat(reports).as("the Surefire reports of %s; run its tests first", module).isDirectory();
    assertThat(secretsFile).as("the canary secrets %s listed; its tests put no canary in a credential", module)
        .isRegularFile();

    List<Path> reportFiles = regularFiles(reports).stream()
        .filter(file -> !file.getFileName().toString().contains(ownName))
        .toList();
    List<Path> outputs = reportFiles.stream().filter(file -> file.getFileName().toString().endsWith("-output.txt"))
        .toList();
    assertThat(outputs).as("Surefire output files in %s", reports).isNotEmpty();
    assertThat(outputs).as("output files of %s with a DEBUG line of a Latchkey logger", module)
        .anyMatch(file -> LATCHKEY_DEBUG_LINE.matcher(read(file)).find());

    List<String> secrets = read(secretsFile).lines().filter(line -> !line.isBlank()).distinct().toList();
    assertThat(secrets).as("secrets %s listed with the canary marker", module)
        .anyMatch(secret -> secret.contains(Canary.MARKER));

    List<Path> files = new ArrayList<>(reportFiles);
    regularFiles(canary).stream().filter(file -> !file.equals(secretsFile)).forEach(files::add);
    regularFiles(module.resolve("target").resolve("test-tmp")).stream()
        .filter(file -> file.getFileName().toString().contains(".jsonl"))
        .forEach(files::add);
    return new SuiteOutput(module, secrets, List.copyOf(files));
  }

  /** Returns one line for each secret found in each file, naming the file and the form, never the secret. */
  static List<String> findSecrets(List<Path> files, List<String> secrets) {
    List<String> hits = new ArrayList<>();
    for (Path file : files) {
      for (String hit : Canary.findIn(read(file), secrets)) {
        hits.add(file + ": " + hit);
      }
    }
    return hits;
  }

  private static List<Path> regularFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the files in " + folder, e);
    }
  }

  /** Reads a file as ISO-8859-1, which maps every byte to one character, so no input is rejected. */
  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }
}
