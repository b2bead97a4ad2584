package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Canary secrets for the fault and soak tests, and the search for them in logs, audit lines and
 * exception messages, as written and in Base64 and URL-encoded forms.
 */
final class Canary {

  /** The OAuth client secret the workloads authenticate with. */
  static final String CLIENT_SECRET = "canary-client-secret-4b9e/+=x";

  /**
   * The file that lists every secret added during the module's tests, one a line, which {@code
   * TestOutputCanaryTest} searches the Surefire output files for. It holds only secrets of test
   * servers that no longer run.
   */
  static final Path SECRETS_FILE = Path.of("target", "canary-secrets.txt");

  private final List<String> secrets = new ArrayList<>();
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  private Canary() {}

  /** Starts capturing every log event of the root logger. */
  static Canary capture() {
    Canary canary = new Canary();
    canary.addSecret(CLIENT_SECRET);
    canary.logs.start();
    root().addAppender(canary.logs);
    return canary;
  }

  /** Adds a secret to search for, such as a key the STS issued during the test. */
  void addSecret(String secret) {
    secrets.add(secret);
    publish(secret);
  }

  private static synchronized void publish(String secret) {
    try {
      Files.createDirectories(SECRETS_FILE.getParent());
      Files.writeString(SECRETS_FILE, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record a canary secret in " + SECRETS_FILE, e);
    }
  }

  /** Keeps an exception a test caught, so its message and causes are searched too. */
  void recordFailure(Throwable failure) {
    failures.add(failure);
  }

  int logEventCount() {
    return logs.list.size();
  }

  /** Stops capturing and asserts that no secret appears in the logs, the exceptions or {@code texts}. */
  void assertNoSecretIn(List<String> texts) {
    root().detachAppender(logs);
    List<String> haystack = new ArrayList<>(texts);
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      haystack.add(event.getFormattedMessage());
      addThrowable(haystack, event.getThrowableProxy());
    }
    for (Throwable failure : failures) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        haystack.add(String.valueOf(cause.getMessage()));
        haystack.add(cause.toString());
      }
    }
    for (String secret : secrets) {
      for (String form : forms(secret)) {
        assertThat(haystack).as("texts containing a form of a secret").noneMatch(text -> text != null && text.contains(form));
      }
    }
  }

  /** Returns a secret as written, in Base64 (with and without padding, URL-safe) and URL-encoded. */
  static List<String> forms(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    return List.of(secret,
        Base64.getEncoder().encodeToString(bytes),
        Base64.getEncoder().withoutPadding().encodeToString(bytes),
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
        URLEncoder.encode(secret, StandardCharsets.UTF_8),
        URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  private static void addThrowable(List<String> haystack, IThrowableProxy proxy) {
    for (IThrowableProxy cause = proxy; cause != null; cause = cause.getCause()) {
      haystack.add(cause.getMessage());
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
