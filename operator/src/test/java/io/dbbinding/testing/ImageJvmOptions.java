package io.dbbinding.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags the image starts every role with (its entrypoint's argfiles, see
 * operator/src/main/docker), for tests and benches that run a process as the pod does.
 */
public final class ImageJvmOptions {
  /** Where the image's entrypoint and argfiles come from. */
  public static final Path DIRECTORY = Path.of("src", "main", "docker").toAbsolutePath();

  private ImageJvmOptions() {}

  /** The default flags, which JAVA_OPTS replaces: what a sidecar runs with. */
  public static List<String> defaults() throws IOException {
    return argfile(DIRECTORY.resolve("jvm-defaults.options"));
  }

  /** The flags every role runs with, whatever JAVA_OPTS says: the AOT cache, no perf data. */
  public static List<String> everyRole() throws IOException {
    return argfile(DIRECTORY.resolve("jvm.options"));
  }

  /**
   * The operator's flags as the chart sets them (values.yaml's {@code javaOptions}, which replace
   * the defaults through JAVA_OPTS), so that a bench runs the operator as the chart does.
   */
  public static List<String> chart() throws IOException {
    Path values = Path.of("..", "helm", "dbbinding", "values.yaml").toAbsolutePath().normalize();
    for (String line : Files.readAllLines(values)) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^javaOptions: \"(.*)\"$").matcher(line);
      if (m.matches()) {
        return Arrays.stream(m.group(1).strip().split("\\s+")).toList();
      }
    }
    throw new IllegalStateException("no javaOptions line in " + values);
  }

  /** The arguments of an argfile: whitespace-separated, {@code #} to the end of a line ignored. */
  private static List<String> argfile(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(l -> l.replaceAll("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .flatMap(l -> Arrays.stream(l.split("\\s+")))
        .toList();
  }
}
