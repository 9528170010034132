package io.dbbinding.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's command line as Linux shows it in /proc, for tests that find the processes a role
 * started.
 */
public final class ProcessArguments {
  private ProcessArguments() {}

  /** The command line (empty when the process is gone or not ours to read). */
  public static List<String> of(ProcessHandle p) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
      return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The argument after {@code flag}; empty when there is none. */
  public static String after(ProcessHandle p, String flag) {
    List<String> args = of(p);
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "";
  }
}
