package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.Kubectl;
import io.dbbinding.testing.ProcessArguments;
import io.dbbinding.testing.TestKubernetes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding playground} as a newcomer runs it: the binding Ready, the pod's gate set, the
 * printed kubectl commands working as printed, a new migration moving the schema version, and
 * SIGTERM (what Ctrl-C amounts to) leaving no process, data directory or kubeconfig behind.
 */
@Tag("integration")
class PlaygroundProcessTest {
  private static final Pattern KUBECONFIG = Pattern.compile("Kubeconfig: (\\S+)");
  private static final Pattern DATABASE =
      Pattern.compile("PostgreSQL 18 at postgresql://postgres@localhost:(\\d+)/postgres");

  @TempDir Path dir;

  @Test
  void readyShownByKubectlAMigrationMovesTheSchemaAndSigtermLeavesNothing() throws Exception {
    Path kubectl = TestKubernetes.kubectlBinary();
    assumeTrue(Files.isExecutable(kubectl), "kube binaries from .ci/kube-binaries.sh");
    Path log = dir.resolve("playground.log");
    ProcessBuilder pb = CliProcess.builder(log, "playground");
    pb.environment().remove("LOG_FORMAT");
    pb.environment().remove("DATABASE_URL");
    Process process = pb.start();
    Set<ProcessHandle> children = new LinkedHashSet<>();
    Set<Path> dataDirectories = new LinkedHashSet<>();
    Path kubeconfig = null;
    try {
      String out =
          Eventually.get(
              "the playground to print what to try",
              Duration.ofSeconds(240),
              () -> {
                assertThat(process.isAlive()).as("the playground runs: %s", read(log)).isTrue();
                String s = read(log);
                return s.contains("running; Ctrl-C stops everything") ? s : null;
              });
      assertThat(out)
          .contains("dbbinding playground: binding orders is Ready at schema version 3")
          .contains(
              "dbbinding playground: pod orders-app: readiness gate dbbinding.io/ready is True"
                  + " (Ready), set by the operator");
      // Text for a person by default: no JSON lines.
      assertThat(out.lines().filter(l -> l.startsWith("{"))).isEmpty();
      assertThat(out).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO ");

      Matcher m = KUBECONFIG.matcher(out);
      assertThat(m.find()).as(out).isTrue();
      kubeconfig = Path.of(m.group(1));
      assertThat(kubeconfig).isRegularFile();
      String k = "kubectl --kubeconfig " + kubeconfig;
      List<String> commands =
          out.lines().filter(l -> l.startsWith("  ") && l.contains(k)).map(String::strip).toList();
      assertThat(commands).hasSize(3);
      assertThat(commands.get(0)).endsWith(k + " get dbb");
      assertThat(commands.get(1)).endsWith(k + " describe dbb orders");

      Kubectl.Result get = Kubectl.run(kubectl, kubeconfig, "get", "dbb");
      assertThat(get.output().lines().toList().get(1).split("\\s+"))
          .as(get.output())
          .startsWith("orders", "True", "3", "0", "postgresql");
      Kubectl.Result describe = Kubectl.run(kubectl, kubeconfig, "describe", "dbb", "orders");
      assertThat(describe.output()).containsPattern("Normal +MigrationsApplied ");

      // The third command as printed, through a shell, without its endless --watch.
      String patch = commands.get(2).split(" && ")[0].replaceFirst("^\\S*kubectl ", kubectl + " ");
      Process shell = new ProcessBuilder("sh", "-c", patch).redirectErrorStream(true).start();
      String patched = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(shell.waitFor()).as(patched).isZero();
      Eventually.until(
          "kubectl get dbb to show schema version 4",
          Duration.ofSeconds(60),
          () -> {
            try {
              String row =
                  Kubectl.run(kubectl, Path.of(m.group(1)), "get", "dbb", "orders").output();
              return row.lines().skip(1).anyMatch(l -> l.matches("orders\\s+True\\s+4\\s+0\\s.*"));
            } catch (IOException | InterruptedException e) {
              return false;
            }
          });

      // What SIGTERM must stop: etcd and kube-apiserver (children), and PostgreSQL, which pg_ctl
      // detaches from the tree: found by its port.
      process.descendants().forEach(children::add);
      assertThat(children.stream().map(PlaygroundProcessTest::command))
          .anyMatch(c -> c.endsWith("/etcd"))
          .anyMatch(c -> c.endsWith("/kube-apiserver"));
      Matcher db = DATABASE.matcher(out);
      assertThat(db.find()).isTrue();
      ProcessHandle.allProcesses()
          .filter(p -> ProcessArguments.after(p, "-p").equals(db.group(1)))
          .forEach(children::add);
      for (ProcessHandle p : children) {
        for (String flag : List.of("-D", "-data-dir", "-wal-dir")) {
          String d = ProcessArguments.after(p, flag);
          if (!d.isEmpty()) {
            dataDirectories.add(Path.of(d));
          }
        }
      }
      assertThat(dataDirectories).hasSize(3).allSatisfy(d -> assertThat(d).isDirectory());

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(read(log)).isTrue();
      assertThat(process.exitValue()).as(read(log)).isZero();
      assertThat(read(log)).contains("dbbinding playground: stopped");
    } finally {
      process.destroyForcibly();
    }
    for (ProcessHandle p : children) {
      p.onExit().get(10, TimeUnit.SECONDS);
      assertThat(p.isAlive()).as("process %d %s", p.pid(), command(p)).isFalse();
    }
    assertThat(dataDirectories).allSatisfy(d -> assertThat(d).doesNotExist());
    assertThat(kubeconfig).doesNotExist();
    assertThat(kubeconfig.getParent()).doesNotExist();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String command(ProcessHandle p) {
    List<String> args = ProcessArguments.of(p);
    return args.isEmpty() ? "" : args.get(0);
  }
}
