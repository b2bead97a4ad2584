package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link AzuriteInstallation} chooses the package folder, and the install into a cache folder
 * with a fake {@code npm} on the {@code PATH} of child JVMs, so no test here needs the npm registry.
 * {@code AzuriteCacheInstallTest} runs the real install.
 */
class AzuriteInstallationTest {

  private static final Path REAL_NODE = findOnPath("node");

  @TempDir
  Path temp;

  @Test
  void propertyNamesCacheBeforeVariable() {
    Map<String, String> environment = Map.of(AzuriteInstallation.CACHE_VARIABLE, "/var/cache/from-variable");

    assertThat(AzuriteInstallation.configuredCacheFolder("/srv/from-property", environment))
        .isEqualTo(Path.of("/srv/from-property"));
    assertThat(AzuriteInstallation.configuredCacheFolder(null, environment))
        .isEqualTo(Path.of("/var/cache/from-variable"));
    assertThat(AzuriteInstallation.configuredCacheFolder(" ", Map.of())).isNull();
  }

  @Test
  void defaultCacheFollowsXdgCacheHome() {
    assertThat(AzuriteInstallation.defaultCacheFolder(Map.of("XDG_CACHE_HOME", "/home/ci/.xdg"), "/home/ci"))
        .isEqualTo(Path.of("/home/ci/.xdg/latchkey"));
    assertThat(AzuriteInstallation.defaultCacheFolder(Map.of(), "/home/ci"))
        .isEqualTo(Path.of("/home/ci/.cache/latchkey"));
  }

  @Test
  void searchFindsCheckoutFromSubfolder() throws IOException {
    Path checkout = temp.resolve("checkout");
    Files.createDirectories(checkout.resolve("sdk-testkit/azurite"));
    Files.writeString(checkout.resolve("sdk-testkit/azurite/package.json"), "{}");
    Path subfolder = Files.createDirectories(checkout.resolve("examples/src"));

    assertThat(AzuriteInstallation.searchPackageFolder(subfolder)).contains(checkout.resolve("sdk-testkit/azurite"));
    assertThat(AzuriteInstallation.searchPackageFolder(Files.createDirectories(temp.resolve("elsewhere"))))
        .isEqualTo(Optional.empty());
  }

  @Test
  void bundledPackageMatchesRepositoryFolder() throws IOException {
    String packageJson = Files.readString(Path.of("azurite", "package.json"));

    assertThat(packageJson).contains("\"azurite\": \"" + AzuriteInstallation.bundledAzuriteVersion() + "\"");
    assertThat(AzuriteInstallation.cachedPackageFolder(temp).getFileName().toString())
        .isEqualTo("azurite-" + AzuriteInstallation.bundledAzuriteVersion());
  }

  @Test
  void concurrentJvmsRunNpmCiOnce() throws Exception {
    Path bin = fakeNpm("ci-runs.log", 0);
    Path cache = temp.resolve("cache");

    Process first = installInChild(bin, cache);
    Process second = installInChild(bin, cache);
    String firstOutput = outputOf(first);
    String secondOutput = outputOf(second);

    assertThat(first.exitValue()).as("first JVM: " + firstOutput).isZero();
    assertThat(second.exitValue()).as("second JVM: " + secondOutput).isZero();
    Path folder = AzuriteInstallation.cachedPackageFolder(cache);
    assertThat(Files.readAllLines(bin.resolve("ci-runs.log"))).as("npm ci runs").containsExactly("ci " + folder);
    assertThat(firstOutput.strip()).isEqualTo(secondOutput.strip())
        .isEqualTo("SCRIPT " + folder.resolve("node_modules/.bin/azurite-blob").toRealPath());
    assertThat(folder.resolve("package-lock.json")).hasSameBinaryContentAs(Path.of("azurite", "package-lock.json"));
  }

  @Test
  void laterInstallReusesFinishedOne() throws Exception {
    Path bin = fakeNpm("ci-runs.log", 0);
    Path cache = temp.resolve("cache");

    Process first = installInChild(bin, cache);
    outputOf(first);
    Process second = installInChild(bin, cache);
    String secondOutput = outputOf(second);

    assertThat(second.exitValue()).as("second JVM: " + secondOutput).isZero();
    assertThat(Files.readAllLines(bin.resolve("ci-runs.log"))).as("npm ci runs").hasSize(1);
  }

  @Test
  void failedNpmCiNamesFolderAndCommand() throws Exception {
    Path bin = fakeNpm("ci-runs.log", 1);
    Path cache = temp.resolve("cache");

    Process child = installInChild(bin, cache);
    String output = outputOf(child);

    Path folder = AzuriteInstallation.cachedPackageFolder(cache);
    assertThat(child.exitValue()).as(output).isEqualTo(3);
    assertThat(output).startsWith("UNAVAILABLE npm ci failed with exit code 1 in " + folder)
        .contains(folder.resolve("npm-ci.log").toString(), "'npm ci --no-audit --no-fund'");
    assertThat(folder.resolve("node_modules/.package-lock.json")).doesNotExist();
  }

  @Test
  void missingNpmNamesFolderAndCommand() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("node-only"));
    Files.createSymbolicLink(bin.resolve("node"), REAL_NODE);

    Process child = installInChild(bin, temp.resolve("cache"));
    String output = outputOf(child);

    assertThat(child.exitValue()).as(output).isEqualTo(3);
    assertThat(output).contains("Failed to run 'npm'");
    assertThat(output).contains(AzuriteInstallation.cachedPackageFolder(temp.resolve("cache")).toString());
    assertThat(output).contains("'npm ci --no-audit --no-fund'");
  }

  @Test
  void missingNodeNamesFolderAndCommand() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("empty-bin"));

    Process child = installInChild(bin, temp.resolve("cache"));
    String output = outputOf(child);

    assertThat(child.exitValue()).as(output).isEqualTo(3);
    assertThat(output).contains("Failed to run 'node'");
    assertThat(output).contains("Node.js 20 or later with npm");
    assertThat(output).contains(AzuriteInstallation.cachedPackageFolder(temp.resolve("cache")).toString());
  }

  /**
   * Writes an {@code npm} to a new folder that, for {@code ci}, appends a line to {@code runsLog},
   * takes a second so that a second JVM would overlap it without the lock, creates the Azurite
   * script and exits with {@code exitCode}. Like npm, it writes the hidden lockfile only on success.
   */
  private Path fakeNpm(String runsLog, int exitCode) throws IOException {
    Path bin = Files.createDirectories(temp.resolve("fake-npm-bin"));
    Files.createSymbolicLink(bin.resolve("node"), REAL_NODE);
    Path npm = bin.resolve("npm");
    Files.writeString(npm, String.join("\n",
        "#!/bin/sh",
        "PATH=/usr/bin:/bin",
        "if [ \"$1\" = \"--version\" ]; then echo 10.0.0; exit 0; fi",
        "echo \"ci $(pwd -P)\" >> '" + bin.resolve(runsLog) + "'",
        "sleep 1",
        "mkdir -p node_modules/.bin",
        "printf '#!/bin/sh\\n' > node_modules/.bin/azurite-blob",
        exitCode == 0 ? "echo '{}' > node_modules/.package-lock.json" : "",
        "exit " + exitCode,
        ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private static Process installInChild(Path bin, Path cache) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        AzuriteInstallMain.class.getName(), cache.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PATH", bin.toString());
    builder.environment().remove(AzuriteInstallation.CACHE_VARIABLE);
    return builder.start();
  }

  private static String outputOf(Process process) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
    return output.lines().filter(line -> line.startsWith("SCRIPT ") || line.startsWith("UNAVAILABLE "))
        .findFirst().orElse(output);
  }

  private static Path findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return Path.of("/nonexistent", program);
  }
}
