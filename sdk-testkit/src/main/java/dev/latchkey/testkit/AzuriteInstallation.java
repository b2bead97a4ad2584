package dev.latchkey.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locator and installer of the pinned Azurite package. It finds the package, checks that Node.js can
 * run it, and installs it with {@code npm ci} when it is missing.
 *
 * <p>The package folder is the first of these that applies:
 *
 * <ol>
 *   <li>the folder that {@code packageFolder(...)} names,
 *   <li>the cache folder that {@code cacheFolder(...)}, the system property {@value #CACHE_PROPERTY}
 *       or the environment variable {@value #CACHE_VARIABLE} names,
 *   <li>{@code sdk-testkit/azurite} in the working directory or a parent, as inside the Latchkey
 *       repository,
 *   <li>the default cache folder, {@code $XDG_CACHE_HOME/latchkey}, or {@code ~/.cache/latchkey}
 *       when that variable is not set.
 * </ol>
 *
 * <p>In a cache folder the package goes into {@code azurite-VERSION}, written from the {@code
 * package.json} and {@code package-lock.json} that this jar contains.
 *
 * <p>Several test JVMs may start at once, so an install runs under a file lock, and a JVM that
 * waited for the lock finds the package installed and skips {@code npm ci}.
 */
final class AzuriteInstallation {

  private static final Logger logger = LoggerFactory.getLogger(AzuriteInstallation.class);

  /** The folder of the pinned package, relative to the repository root. */
  static final Path PACKAGE_FOLDER = Path.of("sdk-testkit", "azurite");

  /** The system property that sets the cache folder. */
  static final String CACHE_PROPERTY = "latchkey.azurite.cache";

  /** The environment variable that sets the cache folder when the system property is not set. */
  static final String CACHE_VARIABLE = "LATCHKEY_AZURITE_CACHE";

  /** The command that installs the pinned package, for messages that tell a person what to run. */
  static final String NPM_CI = "npm ci --no-audit --no-fund";

  private static final String RESOURCE_FOLDER = "azurite/";
  /**
   * The hidden lockfile that npm 7 and later writes into {@code node_modules} when an install
   * finishes. {@code npm ci} deletes {@code node_modules} first, so an install cut off halfway has none.
   */
  private static final String HIDDEN_LOCKFILE = ".package-lock.json";
  private static final int MIN_NODE_MAJOR = 20;
  private static final long NPM_CI_TIMEOUT_MINUTES = 10;
  private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\..*");
  private static final Pattern AZURITE_VERSION = Pattern.compile("\"azurite\"\\s*:\\s*\"([0-9][0-9A-Za-z.+-]*)\"");

  /** Serializes installs within this JVM, because a file lock is held per JVM, not per thread. */
  private static final Object INSTALL_MONITOR = new Object();

  private AzuriteInstallation() {}

  /**
   * Returns the Azurite blob service script, installing the package first if needed.
   *
   * @param packageFolder the folder with {@code package-lock.json}, or {@code null} to choose one
   *     in the order that the class description lists
   * @param cacheFolder the cache folder, or {@code null} for the configured or default one
   * @throws AzuriteUnavailableException if Node.js or npm is missing or the install fails
   */
  static Path blobScript(Path packageFolder, Path cacheFolder) {
    if (packageFolder != null) {
      return repositoryScript(packageFolder);
    }
    Path configured = cacheFolder != null ? cacheFolder
        : configuredCacheFolder(System.getProperties().getProperty(CACHE_PROPERTY), System.getenv());
    if (configured != null) {
      return cachedScript(configured);
    }
    Optional<Path> repository = searchPackageFolder(Path.of("").toAbsolutePath());
    if (repository.isPresent()) {
      return repositoryScript(repository.get());
    }
    return cachedScript(defaultCacheFolder(System.getenv(), System.getProperty("user.home")));
  }

  /** Returns the cache folder that the system property or the environment names, or {@code null}. */
  static Path configuredCacheFolder(String property, Map<String, String> environment) {
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    String variable = environment.get(CACHE_VARIABLE);
    return variable != null && !variable.isBlank() ? Path.of(variable).toAbsolutePath() : null;
  }

  /** Returns {@code $XDG_CACHE_HOME/latchkey}, or {@code ~/.cache/latchkey} without that variable. */
  static Path defaultCacheFolder(Map<String, String> environment, String userHome) {
    String xdgCache = environment.get("XDG_CACHE_HOME");
    Path base = xdgCache != null && !xdgCache.isBlank() ? Path.of(xdgCache) : Path.of(userHome, ".cache");
    return base.resolve("latchkey").toAbsolutePath();
  }

  /** Walks up from {@code start} to the first folder that contains {@code sdk-testkit/azurite}. */
  static Optional<Path> searchPackageFolder(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(PACKAGE_FOLDER);
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Returns the folder in {@code cacheFolder} that the bundled package installs into. */
  static Path cachedPackageFolder(Path cacheFolder) {
    return cacheFolder.resolve("azurite-" + bundledAzuriteVersion());
  }

  /** Returns the Azurite version that the bundled {@code package.json} pins. */
  static String bundledAzuriteVersion() {
    String packageJson = new String(bundledFile("package.json"), StandardCharsets.UTF_8);
    Matcher matcher = AZURITE_VERSION.matcher(packageJson);
    if (!matcher.find()) {
      throw new IllegalStateException("The bundled Azurite package.json pins no azurite version");
    }
    return matcher.group(1);
  }

  /**
   * Returns the blob service script in a checkout's package folder, running {@code npm ci} there
   * first when the script is missing.
   */
  private static Path repositoryScript(Path folder) {
    if (!Files.isRegularFile(folder.resolve("package-lock.json"))) {
      throw new AzuriteUnavailableException(
          "Missing package-lock.json in the Azurite package folder " + folder
              + ": point packageFolder(...) at the folder that pins Azurite",
          null);
    }
    checkNode(folder);
    Path script = scriptIn(folder);
    if (!Files.isRegularFile(script)) {
      synchronized (INSTALL_MONITOR) {
        try (FileChannel channel = FileChannel.open(lockFile(folder),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          if (!Files.isRegularFile(script)) {
            runNpmCi(folder, createTempLog(folder));
          }
        } catch (IOException e) {
          throw new AzuriteUnavailableException("Cannot lock the Azurite install in " + folder, e);
        }
      }
    }
    return realPath(script);
  }

  /**
   * Installs the bundled package into its folder in {@code cacheFolder} unless a finished install of
   * the same {@code package-lock.json} is there, whether this class or a person ran {@code npm ci}.
   */
  private static Path cachedScript(Path cacheFolder) {
    Path folder = cachedPackageFolder(cacheFolder);
    checkNode(folder);
    byte[] lockJson = bundledFile("package-lock.json");
    Path script = scriptIn(folder);
    if (isInstalled(folder, lockJson)) {
      return realPath(script);
    }
    synchronized (INSTALL_MONITOR) {
      try {
        Files.createDirectories(folder);
      } catch (IOException e) {
        throw new AzuriteUnavailableException("Failed to create the Azurite cache folder " + folder
            + ": set the system property " + CACHE_PROPERTY + " or " + CACHE_VARIABLE
            + " to a writable folder", e);
      }
      Path lockPath = folder.resolveSibling(folder.getFileName() + ".lock");
      try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (!isInstalled(folder, lockJson)) {
          Files.write(folder.resolve("package.json"), bundledFile("package.json"));
          Files.write(folder.resolve("package-lock.json"), lockJson);
          checkNpm(folder);
          runNpmCi(folder, folder.resolve("npm-ci.log"));
          if (!Files.isRegularFile(script)) {
            throw new AzuriteUnavailableException("npm ci finished in " + folder + " without creating " + script
                + ": see its output in " + folder.resolve("npm-ci.log") + ", and run '" + NPM_CI
                + "' in that folder by hand", null);
          }
        }
      } catch (IOException e) {
        throw new AzuriteUnavailableException("Failed to install Azurite in " + folder + ": " + e
            + ". Install it by hand: copy package.json and package-lock.json of sdk-testkit/azurite into"
            + " that folder and run '" + NPM_CI + "' there", e);
      }
    }
    return realPath(script);
  }

  private static boolean isInstalled(Path folder, byte[] lockJson) {
    try {
      return Files.isRegularFile(scriptIn(folder))
          && Files.isRegularFile(folder.resolve("node_modules").resolve(HIDDEN_LOCKFILE))
          && Arrays.equals(Files.readAllBytes(folder.resolve("package-lock.json")), lockJson);
    } catch (IOException e) {
      return false;
    }
  }

  private static Path scriptIn(Path folder) {
    return folder.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
  }

  private static Path realPath(Path script) {
    try {
      return script.toRealPath();
    } catch (IOException e) {
      throw new AzuriteUnavailableException("Cannot resolve the Azurite script " + script, e);
    }
  }

  private static void checkNode(Path folder) {
    String version = runForOutput(List.of("node", "--version"), folder);
    Matcher matcher = NODE_VERSION.matcher(version.strip());
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < MIN_NODE_MAJOR) {
      throw new AzuriteUnavailableException(
          "The Azurite tests need Node.js " + MIN_NODE_MAJOR + " or later, but 'node --version' printed '"
              + version.strip() + "': install Node.js " + MIN_NODE_MAJOR + " with npm",
          null);
    }
  }

  private static void checkNpm(Path folder) {
    runForOutput(List.of("npm", "--version"), folder);
  }

  private static void runNpmCi(Path folder, Path log) {
    logger.info("Installing Azurite with npm ci in {}", folder);
    int exitCode = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), folder, log);
    if (exitCode != 0) {
      throw new AzuriteUnavailableException(
          "npm ci failed with exit code " + exitCode + " in " + folder + ": see its output in " + log
              + ". npm needs access to its registry for the first install. To install by hand, run '"
              + NPM_CI + "' in " + folder,
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
        throw new AzuriteUnavailableException("npm ci timed out after " + NPM_CI_TIMEOUT_MINUTES
            + " minutes in " + folder + ". To install by hand, run '" + NPM_CI + "' in that folder", null);
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new AzuriteUnavailableException(missingTool("npm", folder), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzuriteUnavailableException("Interrupted while npm ci ran in " + folder, e);
    }
  }

  private static String runForOutput(List<String> command, Path folder) {
    Path output = null;
    try {
      // The output goes to a file, so a command that hangs cannot block a read past the time limit.
      output = Files.createTempFile("latchkey-azurite-check", ".txt");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AzuriteUnavailableException("'" + String.join(" ", command) + "' timed out after 30 seconds:"
            + " check that Node.js " + MIN_NODE_MAJOR + " and npm run from a shell", null);
      }
      return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AzuriteUnavailableException(missingTool(command.get(0), folder), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzuriteUnavailableException("Interrupted while running '" + String.join(" ", command) + "'", e);
    } finally {
      deleteQuietly(output);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      logger.debug("Failed to delete {}: {}", file, e.toString());
    }
  }

  private static String missingTool(String tool, Path folder) {
    return "Failed to run '" + tool + "': the Azurite tests need Node.js " + MIN_NODE_MAJOR + " or later with npm"
        + " on the PATH. Install them, and the tests then install Azurite in " + folder + " with '" + NPM_CI
        + "' on first use";
  }

  private static byte[] bundledFile(String name) {
    try (var in = AzuriteInstallation.class.getResourceAsStream(RESOURCE_FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException("The testkit jar is missing its resource dev/latchkey/testkit/"
            + RESOURCE_FOLDER + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("Failed to read the testkit resource " + RESOURCE_FOLDER + name, e);
    }
  }

  /** Returns a lock file named after the package folder, so two checkouts do not block each other. */
  private static Path lockFile(Path folder) {
    byte[] digest = sha256(folder.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
    String name = "latchkey-azurite-" + HexFormat.of().formatHex(digest, 0, 8) + ".lock";
    return Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
  }

  private static Path createTempLog(Path folder) {
    try {
      return Files.createTempFile("latchkey-npm-ci", ".log");
    } catch (IOException e) {
      throw new AzuriteUnavailableException("Failed to create a temporary file for the npm ci output of " + folder,
          e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
