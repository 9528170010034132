package io.dbbinding.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.dbbinding.config.LogFormat;
import io.dbbinding.config.LogLevel;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies {@code LOG_LEVEL} and {@code LOG_FORMAT} to Logback once the settings are known. Until
 * then {@link StartupLogConfigurator} writes JSON at INFO, so even a failure while reading settings
 * is one parseable line.
 */
public final class Logging {
  /** Libraries whose INFO lines repeat what our own events say; they speak at DEBUG only. */
  private static final List<String> QUIET_LIBRARIES =
      List.of(
          "com.zaxxer.hikari",
          "org.flywaydb",
          "io.zonky",
          "org.postgresql",
          "io.fabric8",
          "io.javaoperatorsdk");

  private Logging() {}

  /** Logs to standard output: the servers' way, where a collector reads the container's log. */
  private static final String EVENT_PROCESSOR =
      "io.javaoperatorsdk.operator.processing.event.EventProcessor";

  public static void configure(LogLevel level, LogFormat format) {
    configure(level, format, false);
  }

  /**
   * @param toStandardError log to standard error, so that a command's own output (a table, JSON)
   *     stays alone on standard output
   */
  public static void configure(LogLevel level, LogFormat format, boolean toStandardError) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();

    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    propagator.start();
    context.addListener(propagator);

    apply(context, level, format, toStandardError);

    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** One console appender with the format's encoder, and the levels of the root and libraries. */
  static void apply(
      LoggerContext context, LogLevel level, LogFormat format, boolean toStandardError) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    if (toStandardError) {
      console.setTarget("System.err");
    }
    console.setEncoder(encoder(context, format));
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level.name()));
    root.addAppender(console);
    Level libraries = level == LogLevel.DEBUG ? Level.DEBUG : Level.WARN;
    for (String name : QUIET_LIBRARIES) {
      context
          .getLogger(name)
          .setLevel(level.ordinal() > LogLevel.WARN.ordinal() ? null : libraries);
    }
    // JOSDK's and fabric8's start-up lines are useful to an operator's reader.
    if (level == LogLevel.INFO) {
      context.getLogger("io.javaoperatorsdk.operator.Operator").setLevel(Level.INFO);
    }
    // A binding whose database is down is retried by throwing; JOSDK then logs a WARN with a
    // stack trace on every attempt. The reconciler already writes one binding.reconciled line per
    // attempt with the reason, and logs unexpected errors itself, so below DEBUG only JOSDK's
    // errors (retries exhausted, a bug) remain.
    if (level != LogLevel.DEBUG) {
      context.getLogger(EVENT_PROCESSOR).setLevel(Level.ERROR);
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
    if (format == LogFormat.JSON) {
      JsonLineEncoder json = new JsonLineEncoder();
      json.setContext(context);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} %msg %kvp%n");
    text.start();
    return text;
  }
}
