package io.dbbinding.bench;

import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.ProcessStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sidecar's start to its first 200 on /health with each way to start (no archive, a CDS
 * archive, an AOT cache of {@code --help}, the image's AOT cache of a serving sidecar): wall time,
 * CPU time and RSS, the median of {@link #STARTS} starts.
 */
final class SidecarStartBench {
  static final int STARTS = 5;

  private final SidecarJvm jvm;
  private final String url;

  SidecarStartBench(SidecarJvm jvm, String url) {
    this.jvm = jvm;
    this.url = url;
  }

  /** One start, measured from outside the process. */
  private record Start(long wallMs, long cpuMs, long rssKb) {}

  /** The table of RESULTS.md, a row for each way to start. */
  List<String> run() throws Exception {
    Map<String, List<String>> variants = jvm.startVariants();
    Map<String, List<Start>> starts = new LinkedHashMap<>();
    // Interleaved rounds, so that the load of whatever else runs on the machine spreads evenly.
    for (int round = 0; round < STARTS; round++) {
      for (Map.Entry<String, List<String>> v : variants.entrySet()) {
        starts.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(start(v.getValue()));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "| start of the sidecar, to the first 200 on /health (median of "
            + STARTS
            + ") | wall ms | CPU ms of the process | RSS after start | wall ms, each run |");
    lines.add("| --- | --- | --- | --- | --- |");
    for (Map.Entry<String, List<Start>> v : starts.entrySet()) {
      List<Long> wall = v.getValue().stream().map(Start::wallMs).toList();
      String row =
          "| "
              + v.getKey()
              + " | "
              + Results.median(wall)
              + " | "
              + Results.median(v.getValue().stream().map(Start::cpuMs).toList())
              + " | "
              + Results.median(v.getValue().stream().map(Start::rssKb).toList()) / 1024
              + " MiB | "
              + wall
              + " |";
      System.out.println(row);
      lines.add(row);
    }
    lines.add("");
    lines.add(
        "Target: the image's way at most 250 ms to the first 200 (median of " + STARTS + ").");
    return lines;
  }

  private Start start(List<String> flags) throws Exception {
    int port = FreePorts.any();
    long t0 = System.nanoTime();
    Process p = SidecarProcesses.start(flags, url, port);
    SidecarProcesses.waitFor200(port, "/health");
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    Start start =
        new Start(wallMs, SidecarProcesses.cpuMillis(p), ProcessStatus.of(p).rssKb().orElse(-1));
    SidecarProcesses.stop(p);
    return start;
  }
}
