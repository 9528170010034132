package io.dbbinding.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What Linux says of a running process in {@code /proc/<pid>/status}: its resident memory and its
 * threads. Tests print these and benches record them; one reader, so that both read them alike.
 *
 * @param pid the process, which must be running: a process that is gone has no such file
 */
public record ProcessStatus(long pid) {
  /** The status of a process this JVM started. */
  public static ProcessStatus of(Process process) {
    return new ProcessStatus(process.pid());
  }

  /** The status of this JVM. */
  public static ProcessStatus self() {
    return new ProcessStatus(ProcessHandle.current().pid());
  }

  /** The resident set ({@code VmRSS}) in KiB, which the file calls kB. */
  public OptionalLong rssKb() throws IOException {
    return field("VmRSS");
  }

  /** How many threads the process has ({@code Threads}). */
  public OptionalLong threads() throws IOException {
    return field("Threads");
  }

  /** The number of a {@code Name: value} line; empty where the kernel leaves the line out. */
  private OptionalLong field(String name) throws IOException {
    String prefix = name + ":";
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(prefix)) {
        return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
      }
    }
    return OptionalLong.empty();
  }
}
