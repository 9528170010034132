package io.dbbinding.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the dbbinding CLI as a separate JVM on the test class path, as a person or a pod would. */
public final class CliProcess {
  private CliProcess() {}

  /**
   * A process builder for {@code dbbinding <args>}, its output (both streams) going to {@code log}.
   */
  public static ProcessBuilder builder(Path log, String... args) {
    return builder(log, List.of("-XX:+UseSerialGC"), args);
  }

  /**
   * A process builder for {@code dbbinding <args>} on a JVM started with {@code jvmOptions} (the
   * image's flags, say), its output (both streams) going to {@code log}.
   */
  public static ProcessBuilder builder(Path log, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.dbbinding.cli.Main");
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
  }

  /** A TCP port free on this machine now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
