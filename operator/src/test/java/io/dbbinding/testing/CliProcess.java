package io.dbbinding.testing;

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
    return builder(System.getProperty("java.class.path"), List.of("-XX:+UseSerialGC"), log, args);
  }

  /**
   * As {@link #builder(Path, String...)}, on the class path the image runs the role of {@code args}
   * on ({@link ImageClassPath}): for {@code sidecar}, only the jars the sidecar loads, so that a
   * class of ours that needs another fails here; for every other role, without the jars the image
   * leaves out.
   */
  public static ProcessBuilder productionBuilder(Path log, String... args) {
    return productionBuilder(log, List.of("-XX:+UseSerialGC"), args);
  }

  /**
   * As {@link #productionBuilder(Path, String...)}, on a JVM started with {@code jvmOptions}. The
   * class path is our classes and the jars Maven lists for the role: not the test class path, whose
   * test jars would each hold their central directory on the heap as the image's never do.
   */
  public static ProcessBuilder productionBuilder(
      Path log, List<String> jvmOptions, String... args) {
    return builder(
        ImageClassPath.of(Path.of("target", "classes"), ImageClassPath.jarsFor(args)),
        jvmOptions,
        log,
        args);
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
