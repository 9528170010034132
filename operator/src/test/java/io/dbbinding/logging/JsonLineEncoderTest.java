package io.dbbinding.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
  @Test
  void anEventIsOneLineOfJsonWithItsKeyValuesAndError() throws Exception {
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("io.dbbinding.Test");
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            logger,
            Level.WARN,
            "database.health_check_failed",
            new IllegalStateException("bad\nthing"),
            null);
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("duration_ms", 12L));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("ok", false));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("ratio", 0.5));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("none", null));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("reason", "line1\nline2"));
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("event").asText()).isEqualTo("database.health_check_failed");
    assertThat(json.get("logger").asText()).isEqualTo("io.dbbinding.Test");
    assertThat(json.get("timestamp").asText()).endsWith("Z");
    assertThat(json.get("duration_ms").asLong()).isEqualTo(12);
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(json.get("none").isNull()).isTrue();
    assertThat(json.get("reason").asText()).isEqualTo("line1\nline2");
    assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: bad\nthing");
    assertThat(json.get("stack").asText()).contains("JsonLineEncoderTest");
    assertThat(encoder.headerBytes()).isEmpty();
    assertThat(encoder.footerBytes()).isEmpty();
  }

  @Test
  void configureSwitchesFormatAndLevel() {
    Logging.configure(io.dbbinding.config.LogLevel.DEBUG, io.dbbinding.config.LogFormat.TEXT, true);
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.DEBUG);
    Logging.configure(io.dbbinding.config.LogLevel.INFO, io.dbbinding.config.LogFormat.JSON);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.WARN);
  }
}
