package io.dbbinding.bench;

import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.ImageJvmOptions;
import io.dbbinding.testing.LoadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The image's JVM flags as the sidecar bench runs them: with archives the bench makes as the
 * Dockerfile makes the image's (by this JVM, with the image's flags, on the sidecar's class path)
 * in place of those in /app, and with the memory of the sidecar's container.
 *
 * @param defaults the flags JAVA_OPTS replaces (jvm-defaults.options)
 * @param everyRole the flags every role gets (jvm.options), which name the image's archives
 */
record SidecarJvm(List<String> defaults, List<String> everyRole) {
  /** The sidecar's memory limit in examples/kubernetes. */
  static final int CONTAINER_LIMIT_MB = 80;

  private static final Path CDS = Path.of("target", "bench-cds.jsa");
  private static final Path AOT_HELP = Path.of("target", "bench-help.aot");
  private static final Path AOT_SERVE = Path.of("target", "bench-serve.aot");

  static SidecarJvm ofImage() throws IOException {
    return new SidecarJvm(ImageJvmOptions.defaults(), ImageJvmOptions.everyRole());
  }

  /**
   * In its container the JVM sizes its heap from the memory limit; MaxRAM makes it size the heap,
   * initial and maximum, exactly as it would there, where an -Xmx alone would leave the initial
   * heap sized from this machine's memory.
   */
  private static String container() {
    return "-XX:MaxRAM=" + CONTAINER_LIMIT_MB + "m";
  }

  /** The CDS archive and AOT cache of {@code --help}, and the AOT cache of a serving sidecar. */
  void makeArchives() throws Exception {
    for (Path f : List.of(CDS, AOT_HELP, AOT_SERVE)) {
      Files.deleteIfExists(f);
    }
    SidecarProcesses.run(java("-XX:ArchiveClassesAtExit=" + CDS, "--help"));
    SidecarProcesses.run(java("-XX:AOTCacheOutput=" + AOT_HELP, "--help"));
    trainOnRequests();
  }

  /** The image's flags, with the bench's archives for the image's: what the load runs with. */
  List<String> shipping() {
    List<String> flags = new ArrayList<>();
    for (String f : everyRole) {
      flags.add(
          f.replace("/app/dbbinding.jsa", CDS.toString())
              .replace("/app/dbbinding.aot", AOT_SERVE.toString()));
    }
    flags.addAll(defaults);
    flags.add(container());
    return flags;
  }

  /** The image's flags without any archive: what the bare JDK server runs with. */
  List<String> noArchive() {
    return withArchive(List.of());
  }

  /** The flags of each way to start, by its name in RESULTS.md, from no archive to the image's. */
  Map<String, List<String>> startVariants() {
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("no archive", noArchive());
    variants.put(
        "CDS archive of `--help` (the JDK 17 image's way)",
        withArchive(List.of("-XX:SharedArchiveFile=" + CDS, "-Xshare:auto")));
    variants.put(
        "AOT cache (JEP 483/514/515) of `--help`",
        withArchive(List.of("-XX:AOTCache=" + AOT_HELP)));
    variants.put(
        "AOT cache of a sidecar serving its endpoints (the image's way: train-aot.sh)",
        withArchive(List.of("-XX:AOTCache=" + AOT_SERVE)));
    return variants;
  }

  private List<String> withArchive(List<String> archive) {
    List<String> flags =
        new ArrayList<>(
            everyRole.stream()
                .filter(f -> !f.contains("/app/") && !f.startsWith("-Xshare"))
                .toList());
    flags.addAll(archive);
    flags.addAll(defaults);
    flags.add(container());
    return flags;
  }

  private List<String> java(String archiveFlag, String argument) {
    List<String> flags = new ArrayList<>(defaults);
    flags.add(archiveFlag);
    return SidecarProcesses.java(flags, argument);
  }

  /**
   * An AOT cache recorded as operator/src/main/docker/train-aot.sh records the image's: a sidecar
   * with no database starts, serves each endpoint a few hundred times and stops on SIGTERM, which
   * is when the JVM writes the cache.
   */
  private void trainOnRequests() throws Exception {
    List<String> flags = new ArrayList<>(defaults);
    flags.add("-XX:AOTCacheOutput=" + AOT_SERVE);
    int port = FreePorts.any();
    Process p = SidecarProcesses.start(flags, "postgresql://training@127.0.0.1:1/training", port);
    SidecarProcesses.waitFor200(port, "/health");
    for (String path : List.of("/health", "/health/db", "/health/ready", "/metrics", "/")) {
      LoadGenerator.run(port, path, 1, Duration.ofMillis(300));
    }
    p.destroy();
    if (!p.waitFor(120, TimeUnit.SECONDS) || !Files.exists(AOT_SERVE)) {
      throw new IllegalStateException("the training run wrote no AOT cache at " + AOT_SERVE);
    }
  }
}
