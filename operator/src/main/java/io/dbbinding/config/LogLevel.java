package io.dbbinding.config;

import java.util.Locale;

/** The {@code LOG_LEVEL} setting. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR;

  static LogLevel parse(String variable, String value) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    if (v.equals("WARNING")) {
      return WARN; // the spelling of Python's logging, which the seed's .env files hold
    }
    for (LogLevel level : values()) {
      if (level.name().equals(v)) {
        return level;
      }
    }
    throw new ConfigurationException(
        variable + " must be one of DEBUG, INFO, WARN, ERROR, got " + Settings.shown(value));
  }
}
