package io.dbbinding.config;

import java.util.Locale;

/** The {@code LOG_FORMAT} setting: one JSON object a line for machines, or text for people. */
public enum LogFormat {
  JSON,
  TEXT;

  static LogFormat parse(String variable, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "json" -> JSON;
      case "text" -> TEXT;
      default ->
          throw new ConfigurationException(
              variable + " must be json or text, got " + Settings.shown(value));
    };
  }
}
