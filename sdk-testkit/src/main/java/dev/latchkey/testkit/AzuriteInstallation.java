package dev.latchkey.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pinned Azurite package in {@code sdk-testkit/azurite}: finds it, checks that Node.js can run
 * it, and installs it with {@code npm ci} when {@code node_modules} is missing.
 *
 * <p>Several test JVMs may start at once, so the install runs under a file lock in the temporary
 * directory, and a JVM that waited for the lock finds the package installed and skips {@code npm ci}.
 */
final class AzuriteInstallation {

  private static final Logger logger = LoggerFactory.getLogger(AzuriteInstallation.class);

  /** The folder of the pinned package, relative to the repository root. */
  static final Path PACKAGE_FOLDER = Path.of("sdk-testkit", "azurite");

  private static final int MIN_NODE_MAJOR = 20;
  private static final long NPM_CI_TIMEOUT_MINUTES = 10;
  private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\..*");

  /** Serializes installs within this JVM, because a file lock is held per JVM, not per thread. */
  private static final Object INSTALL_MONITOR = new Object();

  private AzuriteInstallation() {}

  /**
   * Returns the Azurite blob service script, installing the package first if needed.
   *
   * @param packageFolder the folder with {@code package.json}, or {@code null} to search upwards
   *     from the working directory for {@code sdk-testkit/azurite}
   * @throws AzuriteUnavailableException if Node.js or npm is missing or the install fails
   */
  static Path blobScript(Path packageFolder) {
    Path folder = packageFolder != null ? packageFolder : findPackageFolder();
    if (!Files.isRegularFile(folder.resolve("package-lock.json"))) {
      throw new AzuriteUnavailableException(
          "Missing package-lock.json in the Azurite package folder " + folder
              + ": point packageFolder(...) at the folder that pins Azurite",
          null);
    }
    checkNode();
    Path script = folder.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
    if (!Files.isRegularFile(script)) {
      install(folder, script);
    }
    try {
      return script.toRealPath();
    } catch (IOException e) {
      throw new AzuriteUnavailableException("Cannot resolve the Azurite script " + script, e);
    }
  }

  /** Walks up from the working directory to the folder that contains {@code sdk-testkit/azurite}. */
  static Path findPackageFolder() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(PACKAGE_FOLDER);
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AzuriteUnavailableException(
        "Cannot find " + PACKAGE_FOLDER + "/package.json in " + start + " or any parent folder: run the"
            + " tests inside the Latchkey repository or set AzuriteServer.builder().packageFolder(...)",
        null);
  }

  private static void checkNode() {
    String version = runForOutput(List.of("node", "--version"));
    Matcher matcher = NODE_VERSION.matcher(version.strip());
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < MIN_NODE_MAJOR) {
      throw new AzuriteUnavailableException(
          "Azurite tests need Node.js " + MIN_NODE_MAJOR + " or later, but 'node --version' printed '"
              + version.strip() + "': install Node.js " + MIN_NODE_MAJOR + " with npm",
          null);
    }
  }

  private static void install(Path folder, Path script) {
    synchronized (INSTALL_MONITOR) {
      try (FileChannel channel = FileChannel.open(lockFile(folder),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (!Files.isRegularFile(script)) {
          runNpmCi(folder);
        }
      } catch (IOException e) {
        throw new AzuriteUnavailableException("Cannot lock the Azurite install in " + folder, e);
      }
    }
  }

  private static void runNpmCi(Path folder) {
    logger.info("Installing Azurite with npm ci in {}", folder);
    Path log = createTempFile("latchkey-npm-ci", ".log");
    int exitCode = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), folder, log);
    if (exitCode != 0) {
      throw new AzuriteUnavailableException(
          "npm ci failed with exit code " + exitCode + " in " + folder + ": see its output in " + log
              + "; npm needs network access to the registry for the first install",
          null);
    }
    logger.info("Installed Azurite in {}", folder);
  }

  private static int run(List<String> command, Path folder, Path log) {
    try {
      Process process = new ProcessBuilder(command).directory(folder.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(NPM_CI_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AzuriteUnavailableException(
            "npm ci timed out after " + NPM_CI_TIMEOUT_MINUTES + " minutes in " + folder, null);
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new AzuriteUnavailableException(
          "Cannot run npm: Azurite tests need Node.js " + MIN_NODE_MAJOR + " or later with npm on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzuriteUnavailableException("Interrupted while npm ci ran in " + folder, e);
    }
  }

  private static String runForOutput(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return output;
    } catch (IOException e) {
      throw new AzuriteUnavailableException(
          "Cannot run '" + String.join(" ", command) + "': Azurite tests need Node.js " + MIN_NODE_MAJOR
              + " or later with npm on the PATH",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzuriteUnavailableException("Interrupted while checking the Node.js version", e);
    }
  }

  /** Returns a lock file named after the package folder, so two checkouts do not block each other. */
  private static Path lockFile(Path folder) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(folder.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      String name = "latchkey-azurite-" + HexFormat.of().formatHex(digest, 0, 8) + ".lock";
      return Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static Path createTempFile(String prefix, String suffix) {
    try {
      return Files.createTempFile(prefix, suffix);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary file for the npm ci output", e);
    }
  }
}
