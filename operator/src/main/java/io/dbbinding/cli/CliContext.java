package io.dbbinding.cli;

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
}
