package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.HttpStatus;
import io.dbbinding.testing.ImageJvmOptions;
import io.dbbinding.testing.LoadGenerator;
import io.dbbinding.testing.MissingClasses;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar with the image's JVM flags and sidecar class path gives back the heap a burst of
 * requests made it take, during the burst or once it is over (health.HeapRelease): its DEBUG line
 * says how large the heap was and is.
 */
@Tag("integration")
class SidecarHeapReleaseProcessTest {
  private static final Duration BURST = Duration.ofSeconds(4);

  /** Long enough for health.HeapRelease to look at a quiet period (it looks every second). */
  private static final Duration QUIET = Duration.ofSeconds(3);

  private static final long HEAP_SLACK = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void aBurstsHeapIsGivenBackWhenItIsOver() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    int port = FreePorts.any();
    Path log = dir.resolve("sidecar.log");
    List<String> jvm = new ArrayList<>(ImageJvmOptions.defaults());
    // A 160 MiB container (a 40 MiB heap): without the image's AOT cache the live data is 10 MiB,
    // not 8, and an 80 MiB container's 20 MiB heap, full after a burst, is about what a full
    // collection would leave of it; the bench measures the 80 MiB container with the cache.
    jvm.add("-XX:MaxRAM=160m");
    ProcessBuilder pb = CliProcess.productionBuilder(log, jvm, "sidecar");
    pb.environment().put("DATABASE_URL", PostgresServer.rawUrl(db));
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("LOG_LEVEL", "DEBUG");
    pb.environment().put("LOG_FORMAT", "json");
    Process sidecar = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    try {
      URI health = URI.create("http://127.0.0.1:" + port + "/health");
      Eventually.until(
          "the sidecar to answer",
          Duration.ofSeconds(30),
          () -> HttpStatus.of(http, health) == 200);

      // The bench's load, shorter: 64 keep-alive connections for a few seconds.
      LoadGenerator.Result burst = LoadGenerator.run(port, "/health", 64, BURST);
      assertThat(burst.errors()).isZero();
      assertThat(burst.requests()).as("requests answered in the burst").isGreaterThan(10_000);

      Eventually.until(
          "a heap.released line", Duration.ofSeconds(30), () -> !released(log).isEmpty());
      Thread.sleep(QUIET.toMillis()); // the look once the burst is over, if the heap would shrink
      List<JsonNode> lines = released(log);
      long largest =
          lines.stream().mapToLong(l -> l.get("heap_before_bytes").asLong()).max().orElse(0);
      JsonNode last = lines.get(lines.size() - 1);
      long after = last.get("heap_after_bytes").asLong();
      System.out.printf(
          "sidecar heap in a burst of %,d requests: at most %,d bytes; %d collections, the last"
              + " leaving %,d (live %,d)%n",
          burst.requests(), largest, lines.size(), after, last.get("live_bytes").asLong());
      assertThat(after).isLessThan(largest - HEAP_SLACK);
      // What the image's ratios leave: the live data plus a fifth (MaxHeapFreeRatio=20), and half
      // that again for the young generation (NewRatio=2); a MiB for rounding to pages and spaces.
      assertThat(after)
          .isLessThanOrEqualTo((long) (last.get("live_bytes").asLong() * 1.875) + HEAP_SLACK);
      assertThat(HttpStatus.of(http, health)).isEqualTo(200);
    } finally {
      sidecar.destroy();
      sidecar.waitFor(20, TimeUnit.SECONDS);
      sidecar.destroyForcibly();
      http.close();
    }
    MissingClasses.assertNoneIn(log);
  }

  /** The sidecar's heap.released lines so far, oldest first. */
  private static List<JsonNode> released(Path log) {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(log)) {
        if (l.contains("\"event\":\"heap.released\"")) {
          lines.add(json.readTree(l));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
