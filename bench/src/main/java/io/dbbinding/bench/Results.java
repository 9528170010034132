package io.dbbinding.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes one section of bench/RESULTS.md, with the machine and the date: each benchmark's, and the
 * real node's ({@code e2e/node.sh test}, through {@link #main}), so that the file has one format.
 */
final class Results {
  private Results() {}

  /**
   * The section of a run measured outside the JVM, its lines on standard input: {@code java
   * bench/src/main/java/io/dbbinding/bench/Results.java NAME TITLE MEASURED_ON < LINES}, from the
   * repository (the source launcher: no build step). MEASURED_ON says what ran it, where and when.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: Results NAME TITLE MEASURED_ON < LINES");
      System.exit(2);
    }
    String lines = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    write(args[0], args[1], args[2], lines.lines().toList());
  }

  static Path file() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("bench"))
          && Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("operator"))) {
        return p.resolve("bench").resolve("RESULTS.md");
      }
    }
    throw new IllegalStateException("bench/ not found above " + here);
  }

  static String machine() {
    long memKb = 0;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux: leave it out
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + Math.round(memKb / 1024.0 / 1024.0)
        + " GiB, "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + ", "
        + ManagementFactory.getOperatingSystemMXBean().getName()
        + ", "
        + LocalDate.now();
  }

  /** Replaces (or appends) the section between the markers of {@code name}, measured here. */
  static void write(String name, String title, List<String> lines) throws IOException {
    write(name, title, machine(), lines);
  }

  /** Replaces (or appends) the section between the markers of {@code name}. */
  static void write(String name, String title, String measuredOn, List<String> lines)
      throws IOException {
    Path file = file();
    String start = "<!-- " + name + ":start -->";
    String end = "<!-- " + name + ":end -->";
    StringBuilder section = new StringBuilder(start).append("\n## ").append(title).append("\n\n");
    section.append("Measured on: ").append(measuredOn).append("\n\n");
    for (String l : lines) {
      section.append(l).append('\n');
    }
    section.append(end);
    String text =
        Files.exists(file)
            ? Files.readString(file)
            : "# Benchmark results\n\nWritten by the harnesses in bench/ (see bench/README.md); each"
                + " section is replaced when its benchmark runs again.\n\n";
    int a = text.indexOf(start);
    int b = text.indexOf(end);
    if (a >= 0 && b > a) {
      text = text.substring(0, a) + section + text.substring(b + end.length());
    } else {
      text = text.stripTrailing() + "\n\n" + section + "\n";
    }
    Files.writeString(file, text);
    System.out.println("bench: wrote " + file);
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
