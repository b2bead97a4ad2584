package dev.latchkey.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Canary secrets for sdk-core's tests, which cannot use {@code dev.latchkey.testkit.Canary} because
 * the testkit depends on this module. The marker, the value layouts and the files are the same, so
 * the examples module's {@code TestOutputCanaryTest} searches this module's output for them too.
 */
public final class Canaries {

  /**
   * The text every canary secret contains. It equals {@code dev.latchkey.testkit.Canary.MARKER}: the
   * scan fails if this module lists no secret that contains the testkit's marker.
   */
  public static final String MARKER = "LatchkeyCanary7q4z";

  private static final Path DIRECTORY = Path.of("target", "canary");
  private static final Path SECRETS_FILE = DIRECTORY.resolve("secrets.txt");
  private static final Path EXCEPTIONS_FILE = DIRECTORY.resolve("exceptions.txt");

  private Canaries() {}

  /** Returns a canary secret that contains {@code /+=}, which URL and form encoding change, and lists it. */
  public static String secret(String label) {
    String secret = MARKER + "-" + label + "/+=x";
    record(secret);
    return secret;
  }

  /** Returns a canary account key: 88 characters of valid Base64 text that start with the marker, and lists it. */
  public static String base64Key(String label) {
    String prefix = MARKER + label.replaceAll("[^A-Za-z0-9]", "");
    String key = prefix + "A".repeat(88 - prefix.length());
    record(key);
    return key;
  }

  /** Lists a secret for the scan of the suite's output. */
  public static void record(String secret) {
    append(SECRETS_FILE, secret + "\n");
  }

  /** Writes the stack trace of an exception a test caught, with its causes, for the scan of the suite's output. */
  public static void recordException(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    append(EXCEPTIONS_FILE, trace.toString());
  }

  private static synchronized void append(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to the canary file " + file.toAbsolutePath(), e);
    }
  }
}
