package io.dbbinding.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.dbbinding.config.LogFormat;
import io.dbbinding.config.LogLevel;

/**
 * Logback's configuration from the first log line until {@link Logging#configure} applies the
 * settings: JSON lines at INFO, libraries at WARN. Registered as a Logback {@link Configurator}
 * service, which Logback asks before it looks for {@code logback.xml}. Configuring in code instead
 * of XML keeps the JDK's XML parser and Logback's Joran (about 400 classes) out of every process: a
 * smaller sidecar and a faster start (see bench/RESULTS.md).
 */
public final class StartupLogConfigurator extends ContextAwareBase implements Configurator {
  /** Logback creates it through the service loader. */
  public StartupLogConfigurator() {
    // nothing to set up: configure receives the context
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logging.apply(context, LogLevel.INFO, LogFormat.JSON, false);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
