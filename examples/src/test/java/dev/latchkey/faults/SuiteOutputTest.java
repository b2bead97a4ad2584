package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testkit.Canary;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan of the suite's output, run on a module folder this test builds: it finds a secret planted
 * in any searched file and in any searched encoding, and it fails instead of passing when a module's
 * output is missing. The planted secrets stay in the temporary folder and are never printed.
 */
class SuiteOutputTest {

  private static final String ISSUED = "issued-key-Zm9yIHRoZSBzY2Fu/+=";
  private static final String DEBUG_LINE =
      "23:01:02.003 DEBUG [main] d.l.c.i.RefreshingCredentialCache - Refreshed credential id=abc\n";

  @TempDir
  Path module;

  @BeforeEach
  void writeCleanModule() throws IOException {
    write("target/surefire-reports/dev.latchkey.SomeTest-output.txt", DEBUG_LINE);
    write("target/surefire-reports/TEST-dev.latchkey.SomeTest.xml", "<testsuite/>");
    write("target/canary/secrets.txt", Canary.secret("client") + "\n" + ISSUED + "\n");
  }

  @Test
  void cleanModulePasses() {
    SuiteOutput output = SuiteOutput.collect(module, "TestOutputCanaryTest");

    assertThat(output.secrets()).containsExactly(Canary.secret("client"), ISSUED);
    assertThat(output.files()).hasSize(2);
    assertThat(SuiteOutput.findSecrets(output.files(), output.secrets())).isEmpty();
  }

  @Test
  void findsEveryFormInEverySearchedFile() throws IOException {
    List<Function<String, String>> encodings = List.of(
        secret -> secret,
        secret -> URLEncoder.encode(secret, StandardCharsets.UTF_8),
        secret -> Base64.getEncoder().encodeToString(("user:" + secret).getBytes(StandardCharsets.UTF_8)),
        secret -> Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"k\":\"" + secret).getBytes(StandardCharsets.UTF_8)));
    List<String> files = List.of(
        "target/surefire-reports/dev.latchkey.SomeTest-output.txt",
        "target/surefire-reports/TEST-dev.latchkey.SomeTest.xml",
        "target/canary/exceptions.txt",
        "target/canary/soak-audit.jsonl",
        "target/test-tmp/junit-1/audit.jsonl.1");

    for (String file : files) {
      for (String secret : List.of(Canary.secret("client"), ISSUED, Canary.base64Key("primary"))) {
        for (int form = 0; form < encodings.size(); form++) {
          writeCleanModule();
          write(file, DEBUG_LINE + "message " + encodings.get(form).apply(secret) + " end\n");
          SuiteOutput output = SuiteOutput.collect(module, "TestOutputCanaryTest");

          assertThat(SuiteOutput.findSecrets(output.files(), output.secrets()))
              .as("encoding #%d of a secret in %s", form, file).isNotEmpty();
          Files.delete(module.resolve(file));
        }
      }
    }
  }

  @Test
  void skipsOwnOutputAndOtherTemporaryFiles() throws IOException {
    write("target/surefire-reports/dev.latchkey.faults.TestOutputCanaryTest-output.txt", Canary.secret("own"));
    write("target/test-tmp/junit-1/credentials.json", Canary.secret("credential-file"));

    SuiteOutput output = SuiteOutput.collect(module, "TestOutputCanaryTest");

    assertThat(SuiteOutput.findSecrets(output.files(), output.secrets())).isEmpty();
  }

  @Test
  void missingReportsFail() throws IOException {
    delete("target/surefire-reports/dev.latchkey.SomeTest-output.txt");
    delete("target/surefire-reports/TEST-dev.latchkey.SomeTest.xml");
    delete("target/surefire-reports");

    assertThatThrownBy(() -> SuiteOutput.collect(module, "TestOutputCanaryTest"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("surefire-reports");
  }

  @Test
  void missingSecretsFileFails() throws IOException {
    delete("target/canary/secrets.txt");

    assertThatThrownBy(() -> SuiteOutput.collect(module, "TestOutputCanaryTest"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("canary secrets");
  }

  @Test
  void secretsWithoutMarkerFail() throws IOException {
    write("target/canary/secrets.txt", ISSUED + "\n");

    assertThatThrownBy(() -> SuiteOutput.collect(module, "TestOutputCanaryTest"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("with the canary marker");
  }

  @Test
  void outputWithoutDebugLinesFails() throws IOException {
    write("target/surefire-reports/dev.latchkey.SomeTest-output.txt", "12:00:00.000 INFO [main] d.l.Other - started\n");

    assertThatThrownBy(() -> SuiteOutput.collect(module, "TestOutputCanaryTest"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("DEBUG line");
  }

  private void write(String relative, String text) throws IOException {
    Path file = module.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private void delete(String relative) throws IOException {
    Files.delete(module.resolve(relative));
  }
}
