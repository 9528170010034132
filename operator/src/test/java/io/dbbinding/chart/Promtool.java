package io.dbbinding.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code .ci/promtool.sh} puts promtool (or {@code $PROMTOOL}). A missing promtool fails the
 * test that needs it with one line saying how to get it: the alert rules are never left untested.
 */
final class Promtool {
  /** Keep in step with PROMETHEUS_MODULE_VERSION in .ci/promtool.sh. */
  static final String VERSION = "v0.316.0";

  private Promtool() {}

  static Path find() {
    String explicit = System.getenv("PROMTOOL");
    Path path;
    if (explicit != null && !explicit.isBlank()) {
      path = Path.of(explicit);
    } else {
      String dir = System.getenv("PROMTOOL_DIR");
      if (dir == null || dir.isBlank()) {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base =
            cache == null || cache.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache")
                : Path.of(cache);
        dir = base.resolve("dbbinding-promtool").toString();
      }
      path = Path.of(dir, VERSION, "promtool");
    }
    if (!Files.isExecutable(path)) {
      throw new AssertionError(
          "promtool not found at " + path + ": run .ci/promtool.sh (it builds it with Go)");
    }
    return path;
  }
}
