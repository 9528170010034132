package io.dbbinding.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where settings come from: the process environment first, then a {@code .env} file. The file never
 * overrides the environment, as with python-dotenv and docker compose.
 */
public final class SettingSource {
  private final Map<String, String> environment;
  private final Map<String, String> dotEnv;
  private final Consumer<String> reads;

  public SettingSource(Map<String, String> environment, Map<String, String> dotEnv) {
    this(environment, dotEnv, name -> {});
  }

  private SettingSource(
      Map<String, String> environment, Map<String, String> dotEnv, Consumer<String> reads) {
    this.environment = Map.copyOf(environment);
    this.dotEnv = Map.copyOf(dotEnv);
    this.reads = reads;
  }

  /**
   * The same values, telling {@code reads} the name of every variable asked for: how a test lists
   * the variables the settings code reads from that code itself, rather than from a copy of the
   * names that could drift from it.
   */
  public SettingSource observed(Consumer<String> reads) {
    return new SettingSource(environment, dotEnv, reads);
  }

  /** The environment, then {@code .env} in {@code workingDirectory} when there is one. */
  public static SettingSource of(Map<String, String> environment, Path workingDirectory) {
    return new SettingSource(environment, readDotEnv(workingDirectory.resolve(".env")));
  }

  public static SettingSource of(Map<String, String> values) {
    return new SettingSource(values, Map.of());
  }

  /** The value, or empty when the variable is unset or blank. */
  public Optional<String> get(String name) {
    reads.accept(name);
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      value = dotEnv.get(name);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /**
   * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, an optional {@code
   * export} prefix, and values in single or double quotes. A missing file is no error.
   */
  static Map<String, String> readDotEnv(Path file) {
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException(
          file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> values = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : text.split("\r?\n")) {
      lineNumber++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("export ")) {
        l = l.substring("export ".length()).strip();
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new ConfigurationException(
            file.getFileName() + " line " + lineNumber + " is not KEY=VALUE");
      }
      values.put(l.substring(0, eq).strip(), unquote(l.substring(eq + 1).strip()));
    }
    return values;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    int comment = value.indexOf(" #");
    return comment < 0 ? value : value.substring(0, comment).strip();
  }
}
