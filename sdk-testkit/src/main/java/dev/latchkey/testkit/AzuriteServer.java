package dev.latchkey.testkit;

import dev.latchkey.audit.Redactor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azurite Blob service (npm {@code azurite}, pinned in {@code sdk-testkit/azurite} and bundled in
 * this jar) running as a child process on 127.0.0.1, for tests of Azure Blob clients.
 *
 * <p>Azurite runs in strict mode (no {@code --loose}, no {@code --skipApiVersionCheck}) with
 * in-memory storage and telemetry off. It listens on a port the operating system picks ({@code
 * --blobPort 0}), so servers started at the same time never collide, and
 * {@link #blobEndpoint()} is the path-style endpoint of the account, such as {@code
 * http://127.0.0.1:41234/devstoreaccount1}. With {@link Builder#https()} it serves HTTPS with a
 * self-signed certificate for {@code 127.0.0.1} and accepts bearer tokens ({@code --oauth basic});
 * clients trust the certificate through {@link #sslSocketFactory()} and {@link #trustManager()}.
 *
 * <p>{@link #close()} ends the process this instance started, and a shutdown hook does the same if
 * the JVM exits first. Instances are thread-safe.
 *
 * <pre>{@code
 * try (AzuriteServer azurite = AzuriteServer.start()) {
 *   URI endpoint = azurite.blobEndpoint();
 *   ...
 * }
 * }</pre>
 */
public final class AzuriteServer implements AutoCloseable {

  /** The account Azurite serves when no other account is configured. */
  public static final String EMULATOR_ACCOUNT = "devstoreaccount1";

  /** The publicly documented key of {@link #EMULATOR_ACCOUNT}; it is no secret. */
  public static final String EMULATOR_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Logger logger = LoggerFactory.getLogger(AzuriteServer.class);

  private static final Pattern LISTENING = Pattern.compile("successfully listens on (https?)://[^:/]+:(\\d+)");
  private static final int OUTPUT_TAIL_LINES = 40;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final String accountName;
  private final String primaryKey;
  private final String secondaryKey;
  private final boolean https;
  private final int port;
  private final Path debugLog;
  private final Path workDirectory;
  private final HandshakeCertificates clientCertificates;
  private final X509Certificate certificate;
  private final Thread shutdownHook;
  private final Object closeMonitor = new Object();
  private boolean closed;

  private AzuriteServer(Builder builder, Started started) {
    this.process = started.process;
    this.port = started.port;
    this.workDirectory = started.workDirectory;
    this.certificate = started.certificate;
    this.clientCertificates = started.clientCertificates;
    this.accountName = builder.accountName;
    this.primaryKey = builder.primaryKey;
    this.secondaryKey = builder.secondaryKey;
    this.https = builder.https;
    this.debugLog = builder.debugLog;
    this.shutdownHook = new Thread(this::stopProcess, "azurite-shutdown-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts Azurite over plain HTTP with the emulator account.
   *
   * @throws AzuriteUnavailableException if Node.js or npm is missing or Azurite cannot be installed
   * @throws IllegalStateException if Azurite was installed but did not start in time
   */
  public static AzuriteServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the path-style endpoint of the account, such as {@code http://127.0.0.1:41234/devstoreaccount1}. */
  public URI blobEndpoint() {
    return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port + "/" + accountName);
  }

  /** Returns the port Azurite listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  public boolean isHttps() {
    return https;
  }

  public String accountName() {
    return accountName;
  }

  /** Returns the account's first key (Azurite's {@code key1}), in Base64. */
  public String primaryKey() {
    return primaryKey;
  }

  /** Returns the account's second key (Azurite's {@code key2}), in Base64, if one was configured. */
  public Optional<String> secondaryKey() {
    return Optional.ofNullable(secondaryKey);
  }

  /**
   * Returns the debug log file, if one was requested. For each rejected signature it shows the string
   * to sign that Azurite computed.
   */
  public Optional<Path> debugLog() {
    return Optional.ofNullable(debugLog);
  }

  /**
   * Returns the self-signed server certificate.
   *
   * @throws IllegalStateException if the server runs plain HTTP
   */
  public X509Certificate certificate() {
    requireHttps();
    return certificate;
  }

  /**
   * Returns a socket factory that trusts only this server's certificate, for {@code
   * OkHttpClient.Builder.sslSocketFactory(factory, trustManager())}.
   *
   * @throws IllegalStateException if the server runs plain HTTP
   */
  public SSLSocketFactory sslSocketFactory() {
    requireHttps();
    return clientCertificates.sslSocketFactory();
  }

  /**
   * Returns a trust manager that trusts only this server's certificate.
   *
   * @throws IllegalStateException if the server runs plain HTTP
   */
  public X509TrustManager trustManager() {
    requireHttps();
    return clientCertificates.trustManager();
  }

  /** Returns whether the Azurite process is still running. */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** Ends the Azurite process and deletes its certificate files. Calling it again does nothing. */
  @Override
  public void close() {
    synchronized (closeMonitor) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stopProcess();
    removeShutdownHook();
    deleteRecursively(workDirectory);
  }

  @Override
  public String toString() {
    return "AzuriteServer[" + blobEndpoint() + ", pid=" + process.pid() + "]";
  }

  private void requireHttps() {
    if (!https) {
      throw new IllegalStateException(
          "Azurite at " + blobEndpoint() + " runs plain HTTP: build it with AzuriteServer.builder().https()");
    }
  }

  private void stopProcess() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        logger.warn("Azurite (pid {}) did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    logger.debug("Stopped Azurite (pid {})", process.pid());
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      logger.debug("JVM shutdown in progress; the hook stops Azurite (pid {})", process.pid());
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      logger.warn("Cannot delete Azurite's temporary folder {}", directory, e);
    }
  }

  /** The process, port and certificate of a successful start. */
  private record Started(
      Process process, int port, Path workDirectory, X509Certificate certificate,
      HandshakeCertificates clientCertificates) {}

  /**
   * Builder for {@link AzuriteServer}; not thread-safe. Defaults: plain HTTP, the emulator account,
   * no debug log, 60 seconds to start, and the package folder found from the working directory or
   * else the per-user cache folder.
   */
  public static final class Builder {
    private String accountName = EMULATOR_ACCOUNT;
    private String primaryKey = EMULATOR_KEY;
    private String secondaryKey;
    private boolean https;
    private Path debugLog;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Path packageFolder;
    private Path cacheFolder;

    private Builder() {}

    /**
     * Serves one account with one key in place of {@link #EMULATOR_ACCOUNT}.
     *
     * @param name lower-case letters and digits, 3 to 24 characters
     * @param primaryKey the key in Base64
     * @throws IllegalArgumentException if the name or the key is invalid
     */
    public Builder account(String name, String primaryKey) {
      return account(name, primaryKey, null);
    }

    /**
     * Serves one account with two keys in place of {@link #EMULATOR_ACCOUNT}; Azurite accepts both.
     *
     * @param secondaryKey the second key in Base64, or {@code null} for none
     * @throws IllegalArgumentException if the name or a key is invalid
     */
    public Builder account(String name, String primaryKey, String secondaryKey) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[a-z0-9]{3,24}")) {
        throw new IllegalArgumentException(
            "Invalid account name '" + name + "': use 3 to 24 lower-case letters and digits");
      }
      checkKey("primaryKey", primaryKey);
      if (secondaryKey != null) {
        checkKey("secondaryKey", secondaryKey);
      }
      this.accountName = name;
      this.primaryKey = primaryKey;
      this.secondaryKey = secondaryKey;
      return this;
    }

    /** Serves HTTPS with a new self-signed certificate and accepts bearer tokens ({@code --oauth basic}). */
    public Builder https() {
      this.https = true;
      return this;
    }

    /** Writes Azurite's debug log ({@code --debug}) to this file, which it creates or appends to. */
    public Builder debugLog(Path file) {
      this.debugLog = Objects.requireNonNull(file, "file").toAbsolutePath();
      return this;
    }

    /**
     * Sets how long {@link #start()} waits for Azurite to listen, including a first {@code npm ci}.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder startupTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("Invalid startup timeout " + timeout + ": it must be positive");
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Sets the folder with Azurite's {@code package.json} and {@code package-lock.json}, where {@link
     * #start()} runs {@code npm ci} when {@code node_modules} is missing. Without it, Azurite comes
     * from the {@link #cacheFolder(Path) cache folder} when one is set; otherwise from {@code
     * sdk-testkit/azurite} in the working directory or the nearest parent that has one, as inside the
     * Latchkey repository; and otherwise from the default cache folder.
     */
    public Builder packageFolder(Path folder) {
      this.packageFolder = Objects.requireNonNull(folder, "folder").toAbsolutePath();
      return this;
    }

    /**
     * Sets the cache folder that Azurite is installed into, in place of the system property {@code
     * latchkey.azurite.cache}, the environment variable {@code LATCHKEY_AZURITE_CACHE} and the default
     * {@code ~/.cache/latchkey} ({@code $XDG_CACHE_HOME/latchkey} when that variable is set). The
     * first {@link #start()} writes the {@code package.json} and {@code package-lock.json} that the
     * testkit jar contains to {@code azurite-VERSION} in that folder and runs {@code npm ci --no-audit
     * --no-fund} there, under a file lock so that JVMs starting at once install it only once. Later
     * starts reuse the install. A {@link #packageFolder(Path) package folder} takes precedence.
     */
    public Builder cacheFolder(Path folder) {
      this.cacheFolder = Objects.requireNonNull(folder, "folder").toAbsolutePath();
      return this;
    }

    /**
     * Installs Azurite if needed, starts it and waits until it listens.
     *
     * @throws AzuriteUnavailableException if Node.js or npm is missing or Azurite cannot be installed
     * @throws IllegalStateException if Azurite did not start in time or exited; the message contains the
     *     end of its output
     */
    public AzuriteServer start() {
      Path script = AzuriteInstallation.blobScript(packageFolder, cacheFolder);
      Path workDirectory = createWorkDirectory();
      try {
        return new AzuriteServer(this, launch(script, workDirectory));
      } catch (RuntimeException e) {
        deleteRecursively(workDirectory);
        throw e;
      }
    }

    private Started launch(Path script, Path workDirectory) {
      X509Certificate certificate = null;
      HandshakeCertificates clientCertificates = null;
      List<String> command = new ArrayList<>(List.of("node", script.toString(),
          "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--disableTelemetry"));
      if (https) {
        HeldCertificate generated = writeCertificate(workDirectory);
        certificate = generated.certificate();
        clientCertificates = new HandshakeCertificates.Builder().addTrustedCertificate(certificate).build();
        command.addAll(List.of("--cert", workDirectory.resolve("cert.pem").toString(),
            "--key", workDirectory.resolve("key.pem").toString(), "--oauth", "basic"));
      }
      if (debugLog != null) {
        command.addAll(List.of("--debug", debugLog.toString()));
      }
      Process process = startProcess(command, workDirectory);
      return new Started(process, awaitPort(process), workDirectory, certificate, clientCertificates);
    }

    private Process startProcess(List<String> command, Path workDirectory) {
      ProcessBuilder processBuilder = new ProcessBuilder(command)
          .directory(workDirectory.toFile()).redirectErrorStream(true);
      processBuilder.environment().remove("AZURITE_ACCOUNTS");
      if (!accountName.equals(EMULATOR_ACCOUNT) || !primaryKey.equals(EMULATOR_KEY) || secondaryKey != null) {
        String keys = secondaryKey == null ? primaryKey : primaryKey + ":" + secondaryKey;
        processBuilder.environment().put("AZURITE_ACCOUNTS", accountName + ":" + keys);
      }
      try {
        return processBuilder.start();
      } catch (IOException e) {
        throw new AzuriteUnavailableException(
            "Cannot start Azurite with node: Azurite tests need Node.js 20 or later on the PATH", e);
      }
    }

    /** Reads Azurite's output until it names the port it listens on, then keeps draining it. */
    private int awaitPort(Process process) {
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Deque<String> tail = new ArrayDeque<>();
      Thread reader = new Thread(() -> drain(process, port, tail), "azurite-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
      try {
        int listening = port.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        logger.info("Started Azurite (pid {}) on 127.0.0.1:{}{}", process.pid(), listening, https ? " with HTTPS" : "");
        return listening;
      } catch (TimeoutException | ExecutionException e) {
        process.destroyForcibly();
        throw new IllegalStateException("Azurite did not start within " + startupTimeout
            + "; the end of its output:\n" + tailText(tail), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("Interrupted while waiting for Azurite to start", e);
      }
    }

    private static void drain(Process process, CompletableFuture<Integer> port, Deque<String> tail) {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          logger.debug("azurite[{}]: {}", process.pid(), Redactor.text(line));
          remember(tail, Redactor.text(line));
          Matcher matcher = LISTENING.matcher(line);
          if (!port.isDone() && matcher.find()) {
            port.complete(Integer.parseInt(matcher.group(2)));
          }
        }
      } catch (IOException e) {
        logger.debug("Stopped reading Azurite's output (pid {}): {}", process.pid(), e.toString());
      }
      port.completeExceptionally(new IllegalStateException("Azurite exited before it listened"));
    }

    private static void remember(Deque<String> tail, String line) {
      synchronized (tail) {
        if (tail.size() == OUTPUT_TAIL_LINES) {
          tail.removeFirst();
        }
        tail.addLast(line);
      }
    }

    private static String tailText(Deque<String> tail) {
      synchronized (tail) {
        return String.join("\n", tail);
      }
    }

    private static HeldCertificate writeCertificate(Path workDirectory) {
      HeldCertificate generated = new HeldCertificate.Builder()
          .commonName("Latchkey test Azurite")
          .addSubjectAlternativeName("127.0.0.1")
          .addSubjectAlternativeName("localhost")
          .duration(1, TimeUnit.DAYS)
          .build();
      try {
        Files.writeString(workDirectory.resolve("cert.pem"), generated.certificatePem());
        Files.writeString(workDirectory.resolve("key.pem"), generated.privateKeyPkcs8Pem());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write the Azurite certificate to " + workDirectory, e);
      }
      return generated;
    }

    private static Path createWorkDirectory() {
      try {
        return Files.createTempDirectory("latchkey-azurite");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temporary folder for Azurite", e);
      }
    }

    private static void checkKey(String option, String key) {
      Objects.requireNonNull(key, option);
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid " + option + ": it is not Base64; pass a Base64 key", e);
      }
      if (decoded.length == 0) {
        throw new IllegalArgumentException("Invalid " + option + ": it is empty; pass a Base64 key");
      }
    }
  }
}
