package io.dbbinding.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartupLogConfiguratorTest {
  @Test
  void logbackFindsItAndWritesJsonAtInfoWithQuietLibraries() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    // What Logback does on the first log line: service configurators first, then logback.xml.
    new ContextInitializer(context).autoConfig(getClass().getClassLoader());

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.WARN);
    assertThat(
            context
                .getLogger("io.javaoperatorsdk.operator.processing.event.EventProcessor")
                .getLevel())
        .isEqualTo(Level.ERROR);
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("console");
    assertThat(console.getEncoder()).isInstanceOf(JsonLineEncoder.class);

    ch.qos.logback.classic.spi.LoggingEvent event =
        new ch.qos.logback.classic.spi.LoggingEvent(
            "x", context.getLogger("io.dbbinding.x"), Level.INFO, "settings.invalid", null, null);
    assertThat(new String(console.getEncoder().encode(event), StandardCharsets.UTF_8))
        .startsWith("{")
        .contains("\"event\":\"settings.invalid\"");
    context.stop();
  }

  @Test
  void stopsLogbackFromLookingForXml() {
    LoggerContext context = new LoggerContext();
    assertThat(new StartupLogConfigurator().configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    context.stop();
  }
}
