package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Canary secrets for the fault and soak tests, and the search for them in logs, audit lines and
 * exception messages of one test, in the forms {@link dev.latchkey.testkit.Canary#forms} lists.
 * Every secret is also listed for {@code TestOutputCanaryTest}, which searches the whole suite's output.
 */
final class Canary {

  /** The OAuth client secret the workloads authenticate with. */
  static final String CLIENT_SECRET = dev.latchkey.testkit.Canary.secret("examples-client");

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

  private static void publish(String secret) {
    dev.latchkey.testkit.Canary.record(secret);
  }

  /**
   * Keeps an exception a test caught, so its message and causes are searched at the end of the test
   * and, with its stack trace, by the scan of the whole suite's output.
   */
  void recordFailure(Throwable failure) {
    failures.add(failure);
    dev.latchkey.testkit.Canary.recordException(failure);
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

  /** Returns the texts that show {@code secret}, as {@link dev.latchkey.testkit.Canary#forms} defines them. */
  static Set<String> forms(String secret) {
    return dev.latchkey.testkit.Canary.forms(secret);
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
