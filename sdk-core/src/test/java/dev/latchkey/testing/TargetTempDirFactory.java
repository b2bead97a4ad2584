package dev.latchkey.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Creates {@code @TempDir} folders under {@code target/test-tmp/} instead of the system's temporary
 * folder, so the audit files tests write there stay where the scan of the suite's output finds
 * them. {@code junit-platform.properties} makes it the default and keeps the folders after the tests.
 */
public final class TargetTempDirFactory implements TempDirFactory {

  private static final Path ROOT = Path.of("target", "test-tmp");

  @Override
  public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext)
      throws Exception {
    Files.createDirectories(ROOT);
    return Files.createTempDirectory(ROOT.toAbsolutePath(), "junit-");
  }
}
