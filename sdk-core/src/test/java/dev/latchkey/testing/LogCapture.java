package dev.latchkey.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures the logback events of one logger and its children while it is open, at every level.
 * Thread-safe for reading after the logging threads have finished.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level previousLevel;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.TRACE);
  }

  /** Starts capturing the logger named {@code name}, for example {@code dev.latchkey}. */
  public static LogCapture of(String name) {
    return new LogCapture((Logger) LoggerFactory.getLogger(name));
  }

  /** Returns the formatted messages of the events at {@code level}. */
  public List<String> messagesAt(Level level) {
    return events().stream()
        .filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /**
   * Returns all captured text: each event's formatted message and arguments, and the class,
   * message and stack frames of its exception and every cause.
   */
  public String allText() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : events()) {
      text.append(event.getFormattedMessage()).append('\n');
      if (event.getArgumentArray() != null) {
        for (Object argument : event.getArgumentArray()) {
          text.append(argument).append('\n');
        }
      }
      appendThrowable(text, event.getThrowableProxy());
    }
    return text.toString();
  }

  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  private static void appendThrowable(StringBuilder text, IThrowableProxy throwable) {
    for (IThrowableProxy current = throwable; current != null; current = current.getCause()) {
      text.append(current.getClassName()).append(": ").append(current.getMessage()).append('\n');
      for (StackTraceElementProxy frame : current.getStackTraceElementProxyArray()) {
        text.append(frame.getSTEAsString()).append('\n');
      }
      for (IThrowableProxy suppressed : current.getSuppressed()) {
        appendThrowable(text, suppressed);
      }
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
    appender.stop();
  }
}
