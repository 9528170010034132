package io.dbbinding.cli;

import io.dbbinding.config.LogFormat;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What every command is handed: where settings come from, the working directory and the two output
 * streams. Tests build one with their own environment and writers.
 */
public record CliContext(
    SettingSource settingSource, Path workingDirectory, PrintWriter out, PrintWriter err) {

  public Settings settings() {
    return Settings.load(settingSource);
  }

  /** The settings, with {@code LOG_FORMAT} defaulting to {@code format} (text for a terminal). */
  public Settings settings(LogFormat format) {
    return Settings.load(settingSource, format);
  }
}
