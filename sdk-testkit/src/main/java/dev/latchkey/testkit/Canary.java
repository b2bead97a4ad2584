package dev.latchkey.testkit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Canary secrets for tests, and the forms in which a leaked secret could show up in logs, audit
 * files and exception messages.
 *
 * <p>Every canary value contains {@link #MARKER}, so a search for the marker finds any of them,
 * even one that was never listed. The marker uses only letters and digits, so it stays intact
 * inside Base64 text (an Azure account key or a SAS {@code sig}) and under URL encoding, and its
 * Base64 forms are searched at each of the three byte offsets it can have inside a longer encoded
 * text. Secrets the tests did not choose, such as keys a test STS issued or a SAS signature the
 * code under test computed, are listed with {@link #record} and searched in full.
 *
 * <p>Tests run with the module folder as the working directory, so the files this class writes
 * land in the module's {@code target/canary/} folder. The examples module's
 * {@code TestOutputCanaryTest} searches the test output of every module for them. Thread-safe.
 */
public final class Canary {

  /** The text every canary secret contains. The examples module's scan searches for it. */
  public static final String MARKER = "LatchkeyCanary7q4z";

  /** The folder, relative to the module, where tests list secrets and record exceptions. */
  public static final Path DIRECTORY = Path.of("target", "canary");

  /** The file of secrets to search for, one a line. It is not itself searched. */
  public static final Path SECRETS_FILE = DIRECTORY.resolve("secrets.txt");

  /** The file of stack traces of exceptions the tests caught, which the scan searches. */
  public static final Path EXCEPTIONS_FILE = DIRECTORY.resolve("exceptions.txt");

  /** The length of an Azure account key in Base64 (64 bytes and "=="); unpadded, the canary key decodes to 66 bytes. */
  private static final int KEY_LENGTH = 88;

  /** A SAS signature is the Base64 form of an HMAC-SHA256 value: 44 characters with one '='. */
  private static final int SIGNATURE_LENGTH = 44;

  /** Below this length a Base64 fragment of a listed secret is too short to search without false hits. */
  private static final int MIN_FRAGMENT_LENGTH = 12;

  private Canary() {}

  /**
   * Returns a canary secret for a password-like source (client secret, AWS secret key, session
   * token, API key, bearer token). It contains {@code /+=}, which URL and form encoding change, so
   * an encoded leak differs from the raw one. The value is listed with {@link #record}.
   */
  public static String secret(String label) {
    return recorded(MARKER + "-" + label + "/+=x");
  }

  /**
   * Returns a canary account key: 88 characters of valid Base64 text that start with the marker and
   * the letters and digits of {@code label}, as Azurite and the Shared Key signer expect. The value
   * is listed with {@link #record}.
   */
  public static String base64Key(String label) {
    return recorded(fill(MARKER + alphanumeric(label), KEY_LENGTH));
  }

  /**
   * Returns a canary SAS signature: valid Base64 of 32 bytes that starts with the marker, which a
   * service rejects because it is not the HMAC of the string to sign. The value is listed with
   * {@link #record}.
   */
  public static String signature(String label) {
    return recorded(fill(MARKER + alphanumeric(label), SIGNATURE_LENGTH - 1) + "=");
  }

  /**
   * Lists secrets for the scan of the suite's output, which searches for each of them in full. The
   * scan fails for a module that listed no secret with the marker.
   */
  public static void record(String... secrets) {
    StringBuilder lines = new StringBuilder();
    for (String secret : secrets) {
      if (secret.contains("\n") || secret.contains("\r")) {
        throw new IllegalArgumentException("A canary secret must fit on one line of " + SECRETS_FILE);
      }
      lines.append(secret).append('\n');
    }
    append(SECRETS_FILE, lines.toString());
  }

  /**
   * Writes the class, message and stack trace of {@code failure} and of its causes and suppressed
   * exceptions to {@link #EXCEPTIONS_FILE}, so the scan searches messages the test caught and
   * never logged. Does nothing for {@code null}, so a test can record what {@code catchThrowable}
   * returned before it asserts that something was thrown.
   */
  public static void recordException(Throwable failure) {
    if (failure == null) {
      return;
    }
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    append(EXCEPTIONS_FILE, trace.toString());
  }

  /**
   * Returns the texts to search for to find {@code secret}: as written, URL-encoded (with {@code +}
   * and {@code %20} for a space), and the parts of its standard and URL-safe Base64 forms that do
   * not depend on the bytes around it, at each of the three byte offsets it can have in a longer
   * encoded text.
   */
  public static Set<String> forms(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    String urlEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(urlEncoded);
    forms.add(urlEncoded.replace("+", "%20"));
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (int offset = 0; offset < 3; offset++) {
      String fragment = base64Fragment(bytes, offset);
      if (fragment.length() >= MIN_FRAGMENT_LENGTH) {
        forms.add(fragment);
        forms.add(fragment.replace('+', '-').replace('/', '_'));
      }
    }
    return forms;
  }

  /**
   * Returns a description of each secret found in {@code text}, which names the secret by its
   * position in {@code secrets} and never repeats it. The marker is always searched for.
   */
  public static List<String> findIn(String text, List<String> secrets) {
    List<String> searched = new ArrayList<>();
    searched.add(MARKER);
    searched.addAll(secrets);
    List<String> hits = new ArrayList<>();
    for (int index = 0; index < searched.size(); index++) {
      int formIndex = 0;
      for (String form : forms(searched.get(index))) {
        if (text.contains(form)) {
          hits.add((index == 0 ? "the canary marker" : "listed secret #" + index) + " in form #" + formIndex);
        }
        formIndex++;
      }
    }
    return hits;
  }

  /**
   * Returns the characters of the Base64 form of {@code bytes} preceded by {@code offset} other
   * bytes that depend on {@code bytes} alone: the first characters also carry bits of the preceding
   * bytes, and the last partial character carries bits of the following ones.
   */
  private static String base64Fragment(byte[] bytes, int offset) {
    byte[] shifted = new byte[offset + bytes.length];
    System.arraycopy(bytes, 0, shifted, offset, bytes.length);
    String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
    int first = (offset * 8 + 5) / 6;
    int end = shifted.length * 8 / 6;
    return encoded.substring(first, end);
  }

  private static String recorded(String secret) {
    record(secret);
    return secret;
  }

  private static String alphanumeric(String label) {
    return label.replaceAll("[^A-Za-z0-9]", "");
  }

  /** Pads with 'A', the Base64 digit of zero, so the padded text stays valid Base64 of a fixed length. */
  private static String fill(String text, int length) {
    if (text.length() > length) {
      throw new IllegalArgumentException(
          "A canary label is too long: the value has " + text.length() + " characters, the maximum is " + length);
    }
    return text + "A".repeat(length - text.length());
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
