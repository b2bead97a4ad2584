package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Searches the output of the whole suite's tests, in every module, for every canary secret: the
 * canary marker and the secrets each module listed, as written, URL-encoded and in Base64 (see
 * {@link dev.latchkey.testkit.Canary#forms}).
 *
 * <p>Maven runs this class in the examples module's second Surefire execution ({@code
 * scan-test-output} in its {@code pom.xml}), after the module's other tests. The examples module
 * depends on sdk-core, sdk-s3, sdk-azure and sdk-testkit, so Maven builds it after them, also in a
 * parallel build, and their tests have finished. The scan fails if a module has no output to
 * search.
 */
class TestOutputCanaryTest {

  /** The modules with tests. The benchmarks module has none. */
  static final List<String> MODULES = List.of("sdk-core", "sdk-s3", "sdk-azure", "sdk-testkit", "examples");

  @Test
  void suiteOutputHoldsNoCanarySecret() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> secrets = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (String module : MODULES) {
      SuiteOutput output = SuiteOutput.collect(root.resolve(module), getClass().getSimpleName());
      secrets.addAll(output.secrets());
      files.addAll(output.files());
    }

    List<String> hits = SuiteOutput.findSecrets(files, secrets.stream().distinct().toList());

    assertThat(files).as("files searched").hasSizeGreaterThan(MODULES.size());
    assertThat(hits).as("canary secrets in the output of the suite's tests").isEmpty();
  }
}
