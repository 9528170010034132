package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.SettingSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a user meets it: help, version, and bad settings, without a database. */
class CliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CliContext context =
        new CliContext(
            SettingSource.of(env), dir, new PrintWriter(out, true), new PrintWriter(err, true));
    return Main.run(context, args);
  }

  @Test
  void versionAndHelp() {
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString()).startsWith("dbbinding ");
    assertThat(run(Map.of())).isZero();
    assertThat(out.toString())
        .contains("sidecar", "operator", "migrate", "info", "validate", "dev", "playground");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sidecar", "operator", "migrate", "info", "validate", "dev", "playground"})
  void everyCommandHasHelp(String command) {
    assertThat(run(Map.of(), command, "--help")).isZero();
    assertThat(out.toString()).contains("Usage: dbbinding " + command);
  }

  @Test
  void playgroundWithNoKubeBinariesAndNoDownloadIsExitTwoWithOneLineAtOnce() {
    long start = System.nanoTime();
    int status =
        run(
            Map.of("KUBE_API_TEST_DIR", dir.toString(), "KUBE_API_TEST_OFFLINE_MODE", "true"),
            "playground");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("dbbinding: no kube-apiserver, etcd and kubectl in " + dir.resolve("k8s"))
        .contains("run .ci/kube-binaries.sh")
        .doesNotContain("\n");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(java.time.Duration.ofSeconds(10));
  }

  @Test
  void playgroundWithAMissingLocationIsExitTwoWithOneLine() {
    assertThat(run(Map.of(), "playground", "--location", "no-such-dir")).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("dbbinding: --location ")
        .endsWith("no-such-dir is not a directory")
        .doesNotContain("\n");
  }

  @Test
  void noDatabaseUrlIsExitTwoWithOneLine() {
    assertThat(run(Map.of(), "sidecar")).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("dbbinding: DATABASE_URL is not set")
        .doesNotContain("\n");
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aPortInUseIsExitTwoWithOneLineNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      Map<String, String> env =
          Map.of(
              "DATABASE_URL",
              "postgresql://app:Top-Secret-9@localhost:1/app",
              "PORT",
              Integer.toString(port));
      assertThat(run(env, "sidecar")).isEqualTo(2);
      assertThat(err.toString().strip())
          .startsWith("dbbinding: cannot listen on port " + port + " (")
          .endsWith("); set PORT to a free port")
          .doesNotContain("Top-Secret-9")
          .doesNotContain("\n");
    }
  }

  @Test
  void anUnknownSchemeIsExitTwoListingTheFormsWithoutThePassword() {
    assertThat(run(Map.of("DATABASE_URL", "mysql://u:Top-Secret-9@h/db"), "sidecar")).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("dbbinding: DATABASE_URL has an unsupported scheme 'mysql://'")
        .contains("postgresql+asyncpg://")
        .doesNotContain("Top-Secret-9")
        .doesNotContain("\n");
  }

  @Test
  void badValuesAreExitTwoNamingTheVariable() {
    assertThat(run(Map.of("DATABASE_URL", "postgresql://h/db", "PORT", "abc"), "sidecar"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("PORT must be a whole number from 1 to 65535, got 'abc'");
    assertThat(
            run(
                Map.of("DATABASE_URL", "postgresql://h/db", "LOG_LEVEL", "loud"),
                "migrate",
                "--location",
                "x"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR, got 'loud'");
    assertThat(run(Map.of("LEADER_ELECTION", "true"), "operator")).isEqualTo(2);
    assertThat(err.toString()).contains("POD_NAMESPACE is not set");
    assertThat(run(Map.of("LEADER_ELECTION", "false", "WEBHOOK_PORT", "https"), "operator"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("WEBHOOK_PORT must be a whole number from 1 to 65535, got 'https'");
    assertThat(run(Map.of("LEADER_ELECTION", "false", "WEBHOOK_ENABLED", "true"), "operator"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("POD_NAMESPACE is not set; the webhook keeps");
  }

  @Test
  void unknownOptionsAreUsageErrors() {
    assertThat(run(Map.of(), "migrate", "--no-such-option")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option");
  }

  @Test
  void migrateAndValidateNeedALocation() {
    assertThat(run(Map.of("DATABASE_URL", "postgresql://127.0.0.1:1/db"), "migrate")).isEqualTo(2);
    assertThat(err.toString()).contains("migrate needs at least one --location DIR");
    assertThat(run(Map.of("DATABASE_URL", "postgresql://127.0.0.1:1/db"), "validate")).isEqualTo(2);
    assertThat(err.toString()).contains("validate needs at least one --location DIR");
  }

  @Test
  void oneLineErrorsForOtherExceptions() {
    assertThat(Main.oneLine(new IllegalStateException("a\nb")))
        .isEqualTo("IllegalStateException: a b");
    assertThat(Main.exitCodeOf(new IllegalStateException())).isEqualTo(1);
  }
}
