package io.dbbinding.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.testing.ImageJvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The files a user runs without our Java code in between (the Dockerfile, docker-compose.yml,
 * .env.example, the shell scripts) checked against that code: a typo in a JVM flag would stop every
 * sidecar at start, a URL in .env.example that does not parse would mislead whoever copies it. No
 * Docker engine is needed for any of this.
 */
class PackagingFilesTest {
  private static final Path ROOT = Path.of("..");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DOCKER = ImageJvmOptions.DIRECTORY;
  private static final String MAIN = "io.dbbinding.cli.Main";
  private static final Pattern COMPOSE_DEFAULT = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
  }

  private static Process run(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String output(Process p) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void theImagesJvmFlagsAreAcceptedByTheJvmAndSizeTheHeapFromTheContainer() throws Exception {
    List<String> flags = ImageJvmOptions.defaults();
    assertThat(flags).contains("-XX:MaxRAMPercentage=25").contains("-XX:MinRAMPercentage=25");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("@" + DOCKER.resolve("jvm-defaults.options"));
    command.add("-XX:MaxRAM=80m"); // the memory limit of the examples' sidecar
    command.add("-XX:+PrintFlagsFinal");
    command.add("-version");
    Process p = run(command, Map.of());
    String out = output(p);
    assertThat(p.exitValue()).as(out).isZero();
    Matcher heap = Pattern.compile("size_t MaxHeapSize\\s+= (\\d+)").matcher(out);
    assertThat(heap.find()).isTrue();
    assertThat(Long.parseLong(heap.group(1)))
        .as("a quarter of an 80 MiB container")
        .isEqualTo(20L * 1024 * 1024);
  }

  /**
   * With LOG_FORMAT=json every line a role writes must be JSON: the JVM prints a plain-text "NOTE:
   * Picked up JDK_JAVA_OPTIONS" line when that variable is set, so the image passes its flags in
   * argfiles and JAVA_OPTS, which print nothing. Run here as the entrypoint runs them.
   */
  @Test
  void theEntrypointsJvmFlagsPrintNothingWithTheDefaultsOrWithTheChartsJavaOpts() throws Exception {
    String entrypoint = Files.readString(DOCKER.resolve("entrypoint.sh"));
    assertThat(entrypoint)
        .contains("exec java @/app/jvm.options $JAVA_OPTS \"@$classpath\" " + MAIN + " \"$@\"")
        .contains(
            "exec java @/app/jvm.options @/app/jvm-defaults.options \"@$classpath\" "
                + MAIN
                + " \"$@\"")
        .doesNotContain("JDK_JAVA_OPTIONS=")
        .doesNotContain("JAVA_TOOL_OPTIONS");
    Process syntax = run(List.of("sh", "-n", DOCKER.resolve("entrypoint.sh").toString()), Map.of());
    assertThat(output(syntax)).isEmpty();
    String dockerfile = read("Dockerfile");
    assertThat(dockerfile)
        .doesNotContain("JDK_JAVA_OPTIONS=")
        .doesNotContain("JAVA_TOOL_OPTIONS=")
        .contains("ENTRYPOINT [\"/app/entrypoint.sh\"]")
        .contains("COPY --chmod=0755 operator/src/main/docker/ /app/");

    // jvm.options names the AOT cache the image records from its jar with train-aot.sh; a class
    // path of directories, as here, cannot have one, so that flag is left out.
    List<String> all = ImageJvmOptions.everyRole();
    assertThat(all).contains("-XX:AOTCache=/app/dbbinding.aot", "-XX:-UsePerfData");
    String training = Files.readString(DOCKER.resolve("train-aot.sh"));
    assertThat(training)
        .contains("java @/app/jvm-defaults.options -XX:AOTCacheOutput=/app/dbbinding.aot")
        .contains("@/app/sidecar-classpath.options " + MAIN + " sidecar");
    assertThat(
            output(run(List.of("bash", "-n", DOCKER.resolve("train-aot.sh").toString()), Map.of())))
        .isEmpty();
    assertThat(dockerfile).contains("RUN /app/train-aot.sh");
    List<String> fixed = all.stream().filter(f -> !f.contains("/app/")).toList();
    String classpath = System.getProperty("java.class.path");

    String values = read("helm/dbbinding/values.yaml");
    Matcher chart = Pattern.compile("(?m)^javaOptions: \"([^\"]*)\"").matcher(values);
    assertThat(chart.find()).isTrue();
    for (List<String> options :
        List.of(
            List.of("@" + DOCKER.resolve("jvm-defaults.options")),
            List.of(chart.group(1).split(" ")))) {
      List<String> command = new ArrayList<>(List.of(java()));
      command.addAll(fixed);
      command.addAll(options);
      command.addAll(List.of("-cp", classpath, MAIN, "--version"));
      Process p = run(command, Map.of());
      String out = output(p);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out.strip().lines()).as("%s printed", options).hasSize(1);
      assertThat(out).startsWith("dbbinding ");
    }
  }

  /**
   * The entrypoint runs {@code sidecar} on the sidecar's class path and every other role on all the
   * jars, both argfiles the Dockerfile writes, and the AOT cache is recorded on the sidecar's (run
   * here with a stand-in for java that prints its arguments).
   */
  @Test
  void theEntrypointRunsTheSidecarOnItsOwnClassPathAndEveryOtherRoleOnAll() throws Exception {
    Path bin = Files.createTempDirectory("entrypoint-java");
    stub(bin.resolve("java"), "echo \"$@\"");
    Map<String, String> path = Map.of("PATH", bin + ":/usr/bin:/bin");
    String entrypoint = DOCKER.resolve("entrypoint.sh").toString();
    String defaults = "@/app/jvm.options @/app/jvm-defaults.options ";
    assertThat(output(run(List.of("sh", entrypoint, "sidecar"), path)).strip())
        .isEqualTo(defaults + "@/app/sidecar-classpath.options " + MAIN + " sidecar");
    assertThat(output(run(List.of("sh", entrypoint, "sidecar", "--help"), path)).strip())
        .isEqualTo(defaults + "@/app/sidecar-classpath.options " + MAIN + " sidecar --help");
    for (String role : List.of("operator", "migrate", "--help")) {
      assertThat(output(run(List.of("sh", entrypoint, role), path)).strip())
          .isEqualTo(defaults + "@/app/classpath.options " + MAIN + " " + role);
    }
    Map<String, String> javaOpts = new HashMap<>(path);
    javaOpts.put("JAVA_OPTS", "-XX:+UseSerialGC -XX:MaxRAMPercentage=50");
    assertThat(output(run(List.of("sh", entrypoint, "operator"), javaOpts)).strip())
        .isEqualTo(
            "@/app/jvm.options -XX:+UseSerialGC -XX:MaxRAMPercentage=50 @/app/classpath.options "
                + MAIN
                + " operator");
    assertThat(output(run(List.of("sh", entrypoint, "sidecar"), javaOpts)).strip())
        .isEqualTo(
            "@/app/jvm.options -XX:+UseSerialGC -XX:MaxRAMPercentage=50"
                + " @/app/sidecar-classpath.options "
                + MAIN
                + " sidecar");

    // The Dockerfile writes both argfiles, the sidecar's jars first in every role's, and puts our
    // classes there as the jar without a manifest Class-Path.
    assertThat(read("Dockerfile"))
        .contains("cp operator/target/dbbinding-plain.jar /app/dbbinding.jar")
        .contains("cp -r operator/target/sidecar-lib /app/sidecar-lib")
        .contains("printf '%s\\n' \"-cp $sidecar\" > sidecar-classpath.options")
        .contains(
            "printf '%s\\n' \"-cp $sidecar$(printf ':/app/%s' lib/*.jar)\" > classpath.options");
  }

  @Test
  void theImageRunsAsANonRootUserWithoutAHealthcheckAndOneJarForEveryRole() throws IOException {
    String dockerfile = read("Dockerfile");
    assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count())
        .as("a multi-stage build")
        .isEqualTo(2);
    assertThat(dockerfile).containsPattern("(?m)^ARG RUNTIME_IMAGE=eclipse-temurin:25-jre");
    assertThat(dockerfile).containsPattern("(?m)^USER 65532:65532$");
    assertThat(dockerfile).doesNotContainPattern("(?m)^HEALTHCHECK");
    assertThat(dockerfile).contains("CMD [\"sidecar\"]");
  }

  @Test
  void composeRunsPostgres18On5433ThenMigratesThenStartsTheSidecar() throws IOException {
    // As compose reads it with no .env and nothing set: every ${NAME:-default} is its default.
    JsonNode services =
        YAML.readTree(COMPOSE_DEFAULT.matcher(read("docker-compose.yml")).replaceAll("$1"))
            .get("services");
    JsonNode pg = services.get("postgres");
    assertThat(pg.get("image").asText()).isEqualTo("postgres:18-alpine");
    assertThat(pg.get("ports").get(0).asText()).isEqualTo("5433:5432");
    assertThat(pg.has("healthcheck")).isTrue();
    assertThat(pg.get("volumes").get(0).asText()).startsWith("pgdata:");

    JsonNode migrate = services.get("migrate");
    assertThat(migrate.get("command").toString())
        .isEqualTo("[\"migrate\",\"--location\",\"/migrations\"]");
    assertThat(migrate.get("volumes").get(0).asText())
        .isEqualTo("./examples/migrations:/migrations:ro");
    assertThat(migrate.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");

    JsonNode sidecar = services.get("sidecar");
    assertThat(sidecar.get("ports").get(0).asText()).isEqualTo("8123:8123");
    assertThat(sidecar.at("/depends_on/migrate/condition").asText())
        .isEqualTo("service_completed_successfully");
    // The sidecar's settings in compose are valid settings.
    Map<String, String> env = new HashMap<>();
    sidecar
        .get("environment")
        .properties()
        .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    Settings settings = Settings.load(SettingSource.of(env));
    assertThat(settings.databaseUrl().orElseThrow().masked())
        .isEqualTo("postgresql://app:****@postgres:5432/app");
  }

  @Test
  void everyUrlInEnvExampleParsesAndTheProvidersAreDetected() throws IOException {
    String example = read(".env.example");
    List<DatabaseUrl> urls =
        Pattern.compile("(?m)^#? ?DATABASE_URL=(\\S+)$")
            .matcher(example)
            .results()
            .map(r -> DatabaseUrl.parse(r.group(1)))
            .toList();
    assertThat(urls).hasSizeGreaterThanOrEqualTo(8);
    assertThat(urls.stream().map(u -> u.provider().id()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("postgresql", "supabase", "neon", "railway");
    assertThat(urls)
        .filteredOn(u -> u.primaryHost().port() == 6543 || u.jdbcUrl().contains("pgbouncer"))
        .isNotEmpty()
        .allSatisfy(u -> assertThat(u.jdbcUrl()).contains("prepareThreshold=0"));
    // The uncommented lines are the settings a copied .env starts with: they must load.
    Path dir = Files.createTempDirectory("dotenv");
    Files.copy(ROOT.resolve(".env.example"), dir.resolve(".env"));
    Settings settings = Settings.load(SettingSource.of(Map.of(), dir));
    assertThat(settings.port()).isEqualTo(8123);
  }

  @Test
  void theShellScriptsParse() throws Exception {
    for (String script :
        List.of(
            "e2e/kind.sh",
            ".ci/run",
            ".ci/kube-binaries.sh",
            ".ci/fresh-machine.sh",
            "dbbinding")) {
      Process p = run(List.of("bash", "-n", script), Map.of());
      assertThat(output(p)).as(script).isEmpty();
      assertThat(p.exitValue()).as(script).isZero();
    }
  }

  /**
   * e2e/kind.sh in a CI job must never pass having run nothing: each missing tool is named in one
   * line and the exit status is non-zero. (Stand-ins for the tools that are "there": kind.sh stops
   * before it would run any of them.)
   */
  @Test
  void theKindTestFailsInOneLineNamingWhatIsMissing() throws Exception {
    // Only what kind.sh needs before it checks for its tools (whatever this machine has).
    Path basics = Files.createTempDirectory("kind-basics");
    Files.createSymbolicLink(basics.resolve("dirname"), Path.of("/usr/bin/dirname"));
    String base = basics.toString();
    Path bin = Files.createTempDirectory("kind-tools");

    Process none = run(List.of("/bin/bash", "e2e/kind.sh"), Map.of("PATH", base));
    String noneOut = output(none);
    assertThat(none.exitValue()).isEqualTo(1);
    assertThat(noneOut.strip().lines()).hasSize(1);
    assertThat(noneOut)
        .startsWith("e2e: FAILED: not installed: docker kind kubectl helm")
        .contains("nothing was run");

    for (String tool : List.of("kind", "kubectl", "helm")) {
      stub(bin.resolve(tool), "exit 0");
    }
    Process noDocker = run(List.of("/bin/bash", "e2e/kind.sh"), Map.of("PATH", bin + ":" + base));
    String noDockerOut = output(noDocker);
    assertThat(noDocker.exitValue()).isEqualTo(1);
    assertThat(noDockerOut.strip()).startsWith("e2e: FAILED: not installed: docker (");

    // A docker client without an engine: `docker info` fails.
    stub(bin.resolve("docker"), "echo 'Cannot connect to the Docker daemon' >&2; exit 1");
    Process noEngine = run(List.of("/bin/bash", "e2e/kind.sh"), Map.of("PATH", bin + ":" + base));
    String noEngineOut = output(noEngine);
    assertThat(noEngine.exitValue()).isEqualTo(1);
    assertThat(noEngineOut.strip().lines()).hasSize(1);
    assertThat(noEngineOut).contains("no Docker engine answers").contains("nothing was run");
  }

  private static void stub(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    if (!file.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + file + " executable");
    }
  }
}
