package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.LogFormat;
import io.dbbinding.config.PlaygroundSettings;
import io.dbbinding.config.Settings;
import io.dbbinding.logging.Logging;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbbinding playground}: the operator on a laptop with nothing but Java: an embedded
 * PostgreSQL, a real kube-apiserver and etcd, the CRD, the operator, and the example resources,
 * then the commands to try. Ctrl-C stops everything and leaves nothing behind.
 *
 * <p>This class names none of the embedded-PostgreSQL or kube-api-test types (picocli reflects it
 * in every role, and the production image has neither jar); {@link Playground} does, and is loaded
 * only when this command runs and {@link PlaygroundClasses} found them.
 */
@Command(
    name = "playground",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Try the operator with nothing installed but Java: start an embedded PostgreSQL, a real",
      "kube-apiserver and etcd, install the CRD, run the operator, and apply a binding 'orders'",
      "with the example migrations and a pod gated on it. Prints a kubeconfig and commands to",
      "try. The kube-apiserver, etcd and kubectl binaries come from ~/.kubeapitest",
      "(KUBE_API_TEST_DIR), downloaded there once when missing (not with",
      "KUBE_API_TEST_OFFLINE_MODE=true). Ctrl-C stops everything and leaves nothing behind."
    })
final class PlaygroundCommand implements Callable<Integer> {
  private static final String PREFIX = "dbbinding playground: ";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final CliContext context;

  @Option(
      names = "--location",
      paramLabel = "DIR",
      description =
          "Migrations for the ConfigMap (default: examples/migrations, as built into the jar).")
  Path location;

  PlaygroundCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (!PlaygroundClasses.areAvailable()) {
      context
          .err()
          .println(
              PREFIX
                  + "this build has no playground (the image leaves out the embedded PostgreSQL"
                  + " and kube-api-test); run ./dbbinding playground from a checkout");
      return ExitCode.USAGE;
    }
    Optional<String> platform = EmbeddedPlatform.problemHere();
    if (platform.isPresent()) {
      context.err().println(PREFIX + platform.get());
      return ExitCode.USAGE;
    }
    // A person reads these lines: text, as with dev; LOG_FORMAT=json still gives JSON.
    Settings settings = context.settings(LogFormat.TEXT);
    Logging.configure(settings.logLevel(), settings.logFormat());
    PlaygroundSettings own = PlaygroundSettings.load(context.settingSource());
    Map<String, String> files = migrations();
    Playground.Plan plan = plan(own, files);
    PrintWriter out = context.out();

    ProcessLifecycle lifecycle = new ProcessLifecycle();
    lifecycle.install();
    // Ctrl-C while starting interrupts the start, which then stops what it had started.
    lifecycle.interruptOnStop(Thread.currentThread());
    Playground playground = null;
    int status = ExitCode.FAILED;
    try {
      out.println(
          PREFIX
              + "starting PostgreSQL 18, kube-apiserver "
              + plan.version().replace(".*", "")
              + " and etcd");
      playground = Playground.start(plan, settings, line -> out.println(PREFIX + line));
      PlaygroundReport.ready(out, PREFIX, playground.awaitReady(READY_TIMEOUT));
      PlaygroundReport.gate(out, PREFIX, playground.awaitGate(Duration.ofSeconds(30)));
      PlaygroundReport.commands(
          out,
          playground.kubeconfig(),
          kubectl(own, plan),
          PlaygroundExamples.nextMigrationName(files));
      out.println(PREFIX + "running; Ctrl-C stops everything and removes its data");
      lifecycle.interruptOnStop(null);
      Thread.interrupted();
      lifecycle.awaitStop();
      status = ExitCode.OK;
    } catch (Exception e) {
      if (!lifecycle.stopRequested()) {
        status = Main.exitCodeOf(e);
        throw e;
      }
      status = ExitCode.OK;
    } finally {
      lifecycle.interruptOnStop(null);
      Thread.interrupted(); // a stop request's interrupt is handled: the stop below may wait
      if (playground != null) {
        playground.close();
      }
      out.println(PREFIX + "stopped; its processes and data are gone");
      lifecycle.cleanedUp(status);
    }
    return status;
  }

  private Map<String, String> migrations() {
    if (location == null) {
      return PlaygroundExamples.bundledMigrations();
    }
    Path folder = context.workingDirectory().resolve(location).normalize();
    if (!Files.isDirectory(folder)) {
      throw new ConfigurationException("--location " + folder + " is not a directory");
    }
    return PlaygroundExamples.migrationFiles(folder);
  }

  /**
   * The cached binaries when there are some; else a download, when the internet answers and
   * KUBE_API_TEST_OFFLINE_MODE does not forbid it; else one line and exit 2.
   */
  private Playground.Plan plan(PlaygroundSettings own, Map<String, String> files) {
    KubeBinaries binaries = KubeBinaries.of(own.kubeApiTestDir());
    Optional<String> cached = binaries.cachedVersion();
    if (cached.isPresent()) {
      return new Playground.Plan(binaries, cached.get(), true, files);
    }
    String none = "no kube-apiserver, etcd and kubectl in " + binaries.directory().resolve("k8s");
    if (own.offline()) {
      throw new ConfigurationException(
          none
              + " and KUBE_API_TEST_OFFLINE_MODE=true forbids a download; run"
              + " .ci/kube-binaries.sh (in a checkout) or unset it");
    }
    Optional<String> unreachable =
        KubeBinaries.unreachable(KubeBinaries.DOWNLOAD_INDEX, PROBE_TIMEOUT);
    if (unreachable.isPresent()) {
      throw new ConfigurationException(
          none
              + " and no download: "
              + unreachable.get()
              + "; connect to the internet once, or run .ci/kube-binaries.sh in a checkout");
    }
    context
        .out()
        .println(
            PREFIX
                + "downloading kube-apiserver, etcd and kubectl "
                + KubeBinaries.DOWNLOAD_VERSION
                + " into "
                + binaries.directory()
                + " (once)");
    return new Playground.Plan(binaries, KubeBinaries.DOWNLOAD_VERSION, false, files);
  }

  /** kubectl as a person would type it: from the PATH, else the one beside the API server. */
  private String kubectl(PlaygroundSettings own, Playground.Plan plan) {
    for (String dir : own.path().split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
        return "kubectl";
      }
    }
    return plan.binaries()
        .cachedVersion()
        .map(v -> plan.binaries().versionDirectory(v).resolve("kubectl").toString())
        .orElse("kubectl");
  }
}
