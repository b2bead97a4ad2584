package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.testing.Canaries;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of a test, diagnostic and audit alike, and fails the test if any of them
 * contains {@link #CANARY}, the secret the audit tests plant in URLs, headers, bodies and messages.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  /** A secret that must never appear in an event, a file line or a log line. */
  public static final String CANARY = Canaries.MARKER + "Audit9f8e7d6c5b4a";

  static {
    Canaries.record(CANARY);
  }

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    root().addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    root().detachAppender(appender);
    appender.stop();
    for (String line : lines()) {
      assertThat(line).as("a log line of %s", context.getDisplayName()).doesNotContain(CANARY);
    }
  }

  /** Returns every captured line: the formatted message and, if any, the stack trace. */
  public synchronized List<String> lines() {
    return List.copyOf(appender.list).stream().map(LogCapture::render).toList();
  }

  /** Returns the formatted messages logged by one logger. */
  public List<String> messagesOf(String loggerName) {
    return List.copyOf(appender.list).stream()
        .filter(event -> event.getLoggerName().equals(loggerName))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static String render(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    return event.getThrowableProxy() == null
        ? message
        : message + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
