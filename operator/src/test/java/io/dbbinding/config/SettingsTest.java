package io.dbbinding.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

  private static Settings load(Map<String, String> env) {
    return Settings.load(SettingSource.of(env));
  }

  @Test
  void defaultsAreTheDesignsOnes() {
    Settings s = load(Map.of());
    assertThat(s.databaseUrl()).isEmpty();
    assertThat(s.appName()).isEqualTo("dbbinding");
    assertThat(s.version()).isNotBlank();
    assertThat(s.environment()).isEqualTo("development");
    assertThat(s.logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(s.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(s.port()).isEqualTo(8123);
    assertThat(s.allowedOrigins())
        .containsExactly("http://localhost:3000", "http://localhost:8123");
    assertThat(s.poolSize()).isEqualTo(1);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(1000));
    assertThat(s.healthCacheTtl()).isEqualTo(Duration.ofMillis(1000));
    assertThat(s.requiredSchemaVersion()).isEmpty();
  }

  @Test
  void aCommandForATerminalDefaultsToTextAndLogFormatStillWins() {
    assertThat(Settings.load(SettingSource.of(Map.of()), LogFormat.TEXT).logFormat())
        .isEqualTo(LogFormat.TEXT);
    assertThat(
            Settings.load(SettingSource.of(Map.of("LOG_FORMAT", "json")), LogFormat.TEXT)
                .logFormat())
        .isEqualTo(LogFormat.JSON);
    assertThat(load(Map.of("LOG_FORMAT", "text")).logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void everySettingIsRead() {
    Settings s =
        load(
            Map.ofEntries(
                Map.entry("DATABASE_URL", "postgresql+asyncpg://u:p@h:5433/d"),
                Map.entry("APP_NAME", "orders"),
                Map.entry("VERSION", "2.0.1"),
                Map.entry("ENVIRONMENT", "production"),
                Map.entry("LOG_LEVEL", "debug"),
                Map.entry("LOG_FORMAT", "TEXT"),
                Map.entry("PORT", "9000"),
                Map.entry("ALLOWED_ORIGINS", " https://a.example , https://b.example ,"),
                Map.entry("DB_POOL_SIZE", "3"),
                Map.entry("DB_CONNECT_TIMEOUT_MS", "2500"),
                Map.entry("HEALTH_CACHE_TTL_MS", "0"),
                Map.entry("REQUIRED_SCHEMA_VERSION", "1_2")));
    assertThat(s.requireDatabaseUrl().masked()).isEqualTo("postgresql://u:****@h:5433/d");
    assertThat(s.appName()).isEqualTo("orders");
    assertThat(s.version()).isEqualTo("2.0.1");
    assertThat(s.environment()).isEqualTo("production");
    assertThat(s.logLevel()).isEqualTo(LogLevel.DEBUG);
    assertThat(s.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(s.port()).isEqualTo(9000);
    assertThat(s.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(s.poolSize()).isEqualTo(3);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.healthCacheTtl()).isZero();
    assertThat(s.requiredSchemaVersion()).contains("1.2");
    assertThat(load(Map.of("LOG_LEVEL", "warning")).logLevel()).isEqualTo(LogLevel.WARN);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "PORT|abc|PORT must be a whole number from 1 to 65535, got 'abc'",
        "PORT|0|PORT must be a whole number from 1 to 65535, got '0'",
        "PORT|70000|PORT must be a whole number from 1 to 65535, got '70000'",
        "LOG_LEVEL|verbose|LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR, got 'verbose'",
        "LOG_FORMAT|xml|LOG_FORMAT must be json or text, got 'xml'",
        "DB_POOL_SIZE|0|DB_POOL_SIZE must be a whole number from 1 to 100, got '0'",
        "DB_CONNECT_TIMEOUT_MS|-1|DB_CONNECT_TIMEOUT_MS must be a whole number from 250 to 600000, got '-1'",
        "HEALTH_CACHE_TTL_MS|x|HEALTH_CACHE_TTL_MS must be a whole number from 0 to 3600000, got 'x'",
        "REQUIRED_SCHEMA_VERSION|abc|REQUIRED_SCHEMA_VERSION must be a Flyway version such as 5 or 1.2.3, got 'abc'",
      })
  void badValuesAreRefusedInOneLineNamingTheVariable(String name, String value, String message) {
    assertThatThrownBy(() -> load(Map.of(name, value)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(message);
  }

  @Test
  void aMissingUrlIsReportedWhenARoleNeedsIt() {
    assertThatThrownBy(() -> load(Map.of()).requireDatabaseUrl())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("DATABASE_URL is not set");
  }

  @Test
  void longOrMultiLineValuesAreShortenedToOneLine() {
    assertThatThrownBy(() -> load(Map.of("PORT", "1\n2" + "x".repeat(100))))
        .message()
        .doesNotContain("\n")
        .endsWith("...'");
  }

  @Test
  void dotEnvFillsWhatTheEnvironmentLeavesOut(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve(".env"),
        "# comment\n\nexport APP_NAME=from-file\nPORT=\"9001\"\nENVIRONMENT='staging' \nLOG_LEVEL=ERROR # trailing\n");
    Settings s = Settings.load(SettingSource.of(Map.of("PORT", "9002"), dir));
    assertThat(s.appName()).isEqualTo("from-file");
    assertThat(s.port()).as("the environment wins").isEqualTo(9002);
    assertThat(s.environment()).isEqualTo("staging");
    assertThat(s.logLevel()).isEqualTo(LogLevel.ERROR);
    assertThat(Settings.load(SettingSource.of(Map.of(), dir.resolve("nowhere"))).appName())
        .isEqualTo("dbbinding");
  }

  @Test
  void aBrokenDotEnvLineIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT=1\nnot a setting\n");
    assertThatThrownBy(() -> SettingSource.of(Map.of(), dir))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(".env line 2 is not KEY=VALUE");
  }

  @Test
  void withDatabaseUrlReplacesOnlyTheUrl() {
    Settings s = load(Map.of("APP_NAME", "x"));
    Settings t = s.withDatabaseUrl(DatabaseUrl.parse("postgresql://h/db"));
    assertThat(t.requireDatabaseUrl().database()).isEqualTo("db");
    assertThat(t.appName()).isEqualTo("x");
  }

  @Test
  void operatorSettingsAreReadAndChecked() {
    Settings s = load(Map.of());
    OperatorSettings op =
        OperatorSettings.load(
            SettingSource.of(
                Map.of(
                    "WATCH_NAMESPACES", "shop, billing",
                    "POD_NAMESPACE", "dbbinding-system",
                    "POD_NAME", "op-0")),
            s);
    assertThat(op.watchNamespaces()).containsExactlyInAnyOrder("shop", "billing");
    assertThat(op.leaderElection()).isTrue();
    assertThat(op.leaseName()).isEqualTo("dbbinding-operator");
    assertThat(op.identity()).isEqualTo("op-0");
    assertThat(op.databaseTimeout()).isEqualTo(Duration.ofSeconds(5));
    // Outside a cluster with no namespace for a Lease (./dbbinding operator on a laptop): off.
    assertThat(OperatorSettings.load(SettingSource.of(Map.of()), s).leaderElection()).isFalse();
    assertThat(OperatorSettings.leaderElectionOffByDefault(SettingSource.of(Map.of()))).isTrue();
    // In a pod the default stays on, and then needs the namespace.
    assertThatThrownBy(
            () ->
                OperatorSettings.load(
                    SettingSource.of(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")), s))
        .hasMessageStartingWith("POD_NAMESPACE is not set");
    assertThatThrownBy(
            () -> OperatorSettings.load(SettingSource.of(Map.of("LEADER_ELECTION", "true")), s))
        .hasMessageStartingWith("POD_NAMESPACE is not set");
    assertThat(
            OperatorSettings.leaderElectionOffByDefault(
                SettingSource.of(Map.of("LEADER_ELECTION", "false"))))
        .isFalse();
    assertThat(
            OperatorSettings.load(SettingSource.of(Map.of("LEADER_ELECTION", "false")), s)
                .watchNamespaces())
        .isEmpty();
    assertThatThrownBy(
            () -> OperatorSettings.load(SettingSource.of(Map.of("LEADER_ELECTION", "maybe")), s))
        .hasMessage("LEADER_ELECTION must be true or false, got 'maybe'");
    assertThatThrownBy(
            () ->
                OperatorSettings.load(
                    SettingSource.of(
                        Map.of("LEADER_ELECTION", "false", "WATCH_NAMESPACES", "Bad_NS")),
                    s))
        .hasMessageStartingWith("WATCH_NAMESPACES must be");
  }

  @Test
  void theWatchLabelSelectorTakesKubernetesSelectorsAndRefusesOthers() {
    Settings s = load(Map.of());
    for (String ok :
        List.of(
            "dbbinding.io/watch=true",
            "team==payments",
            "tier!=cache",
            "migrations",
            "!legacy",
            "env in (prod, staging)",
            "env notin (dev),dbbinding.io/watch=true",
            " app.kubernetes.io/part-of = shop ")) {
      assertThat(
              OperatorSettings.load(
                      SettingSource.of(
                          Map.of("LEADER_ELECTION", "false", "WATCH_LABEL_SELECTOR", ok)),
                      s)
                  .watchLabelSelector())
          .as(ok)
          .isEqualTo(ok.strip());
    }
    assertThat(
            OperatorSettings.load(SettingSource.of(Map.of("LEADER_ELECTION", "false")), s)
                .watchLabelSelector())
        .isEmpty();
    for (String bad : List.of("a=b=c", "env in prod", "=x", "a,,b", "a=b;c=d", "dbbinding.io/")) {
      assertThatThrownBy(
              () ->
                  OperatorSettings.load(
                      SettingSource.of(
                          Map.of("LEADER_ELECTION", "false", "WATCH_LABEL_SELECTOR", bad)),
                      s))
          .as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("WATCH_LABEL_SELECTOR must be a Kubernetes label selector")
          .hasMessageEndingWith("got '" + bad + "'");
    }
  }

  @Test
  void theBindingLabelSelectorIsReadAndCheckedLikeTheWatchLabelSelector() {
    Settings s = load(Map.of());
    assertThat(
            OperatorSettings.load(SettingSource.of(Map.of("LEADER_ELECTION", "false")), s)
                .bindingLabelSelector())
        .isEmpty();
    assertThat(
            OperatorSettings.load(
                    SettingSource.of(
                        Map.of(
                            "LEADER_ELECTION",
                            "false",
                            "BINDING_LABEL_SELECTOR",
                            " dbbinding.io/shard!=b ")),
                    s)
                .bindingLabelSelector())
        .isEqualTo("dbbinding.io/shard!=b");
    assertThatThrownBy(
            () ->
                OperatorSettings.load(
                    SettingSource.of(
                        Map.of("LEADER_ELECTION", "false", "BINDING_LABEL_SELECTOR", "shard in a")),
                    s))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "BINDING_LABEL_SELECTOR must be a Kubernetes label selector such as"
                + " dbbinding.io/shard=a, got 'shard in a'");
  }
}
