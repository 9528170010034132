package io.dbbinding.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The chart (helm/dbbinding) for helm-java's {@code template}: a copy in target/ without
 * Chart.yaml's {@code kubeVersion}. helm-java renders client-only against Helm's built-in
 * Kubernetes v1.20.0 (Helm's own release builds set their client-go's version with -ldflags; a
 * library build keeps 1.20) and cannot be told another, so {@code >=1.25.0-0} would refuse every
 * render. Tests that install the chart (ChartInstallTest, ChartRbacTest) use the chart itself:
 * there the API server gives its version, and the constraint holds.
 */
public final class RenderableChart {
  private RenderableChart() {}

  /** The copy, made once per JVM. */
  public static Path path() {
    return Copy.PATH;
  }

  /**
   * Another copy whose hooks render too: helm-java's {@code template} leaves hooks out (Helm's CLI
   * prints them), so here each {@code helm.sh/hook*} annotation is renamed to {@link #HOOK_PREFIX}
   * and its object renders with the others, its annotations' values kept.
   */
  public static Path withHooksRendered() {
    return HookCopy.PATH;
  }

  /** What {@code helm.sh/hook} is called in {@link #withHooksRendered()}. */
  public static final String HOOK_PREFIX = "rendered.test.dbbinding.io/hook";

  private static final class Copy {
    static final Path PATH = withoutKubeVersion(Path.of("..", "helm", "dbbinding"));
  }

  private static final class HookCopy {
    static final Path PATH = hooksRendered(withoutKubeVersion(Path.of("..", "helm", "dbbinding")));
  }

  private static Path hooksRendered(Path copy) {
    try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        Files.writeString(f, text.replace("helm.sh/hook", HOOK_PREFIX));
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path withoutKubeVersion(Path chart) {
    try {
      Path copy = Files.createTempDirectory(Path.of("target"), "chart-").resolve("dbbinding");
      try (Stream<Path> files = Files.walk(chart)) {
        for (Path f : files.toList()) {
          Path to = copy.resolve(chart.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
      Path chartYaml = copy.resolve("Chart.yaml");
      List<String> lines = Files.readAllLines(chartYaml);
      List<String> kept = lines.stream().filter(l -> !l.startsWith("kubeVersion:")).toList();
      if (kept.size() != lines.size() - 1) {
        throw new AssertionError(
            "expected one kubeVersion line in Chart.yaml (helm-java cannot render with it;"
                + " without it this copy is not needed): "
                + String.join("\n", lines));
      }
      Files.write(chartYaml, kept);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
