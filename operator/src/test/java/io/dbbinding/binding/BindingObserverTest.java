package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.db.AuthenticationError;
import io.dbbinding.db.DatabaseConnectionError;
import io.dbbinding.lint.MigrationLinter;
import io.dbbinding.migrate.MigrationError;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every outcome of one observation, driven without an API server or a database: the Secret and
 * ConfigMaps from a map, the database from {@link FakeDatabase}.
 */
class BindingObserverTest {
  private static final String URL = "postgresql://app:s3cret@db.example:5432/shop";

  private final Map<String, Secret> secrets = new HashMap<>();
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final FakeDatabase database = new FakeDatabase();
  private final MovingClock clock = new MovingClock();

  /** A clock the test moves on. */
  private static final class MovingClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-12-04T10:00:00Z");

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  private final BindingObserver observer = restarted();

  private void secret(String key, String value) {
    secrets.put(
        "shop/db",
        new SecretBuilder()
            .withNewMetadata()
            .withName("db")
            .withNamespace("shop")
            .endMetadata()
            .withStringData(Map.of(key, value))
            .build());
  }

  private void migrations(String configMap, String... nameAndSql) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < nameAndSql.length; i += 2) {
      data.put(nameAndSql[i], nameAndSql[i + 1]);
    }
    configMaps.put(
        "shop/" + configMap,
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(configMap)
            .withNamespace("shop")
            .endMetadata()
            .withData(data)
            .build());
  }

  private static DatabaseBinding binding(String... configMaps) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName("orders");
    b.getMetadata().setNamespace("shop");
    b.getMetadata().setUid("uid-1");
    b.getMetadata().setGeneration(1L);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef db = new DatabaseRef();
    db.setSecretRef(new SecretKeyRef("db", null));
    spec.setDatabase(db);
    if (configMaps.length > 0) {
      MigrationsSpec m = new MigrationsSpec();
      m.setConfigMapRefs(List.of(configMaps).stream().map(ConfigMapRef::new).toList());
      spec.setMigrations(m);
    }
    b.setSpec(spec);
    return b;
  }

  private static String shown(Step s) {
    return s.status() + "/" + s.reason();
  }

  @Test
  void aMissingSecretIsWaitedForWithoutConnecting() {
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.reachable())).isEqualTo("False/SecretNotFound");
    assertThat(o.reachable().message())
        .isEqualTo(
            "Secret db not found in namespace shop; create it with the database URL under key"
                + " DATABASE_URL");
    assertThat(shown(o.migrations())).isEqualTo("Unknown/DatabaseNotReachable");
    assertThat(o.retry()).isEqualTo(Retry.ON_CHANGE);
    assertThat(database.lastUrl).isNull();
  }

  @Test
  void aSecretWithoutTheKeyNamesTheKey() {
    secret("OTHER", URL);
    Observation o = observer.observe(binding());
    assertThat(shown(o.reachable())).isEqualTo("False/SecretKeyMissing");
    assertThat(o.reachable().message()).contains("has no key DATABASE_URL");
    assertThat(o.retry()).isEqualTo(Retry.ON_CHANGE);
  }

  @Test
  void aMalformedUrlIsPermanentAndNeverShowsThePassword() {
    secret("DATABASE_URL", "mysql://app:s3cret@db/shop");
    Observation o = observer.observe(binding());
    assertThat(shown(o.reachable())).isEqualTo("False/InvalidDatabaseURL");
    assertThat(o.retry()).isEqualTo(Retry.PERMANENT);
    assertThat(o.reachable().message()).doesNotContain("s3cret");
  }

  @Test
  void anUnreachableServerIsTransientAndNamesTheHost() {
    secret("DATABASE_URL", URL);
    database.refuseConnection = new DatabaseConnectionError("Connection refused");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.reachable())).isEqualTo("False/Unreachable");
    assertThat(o.reachable().message())
        .isEqualTo("Connection refused at db.example:5432; retrying with backoff");
    assertThat(o.provider()).isEqualTo("postgresql");
    assertThat(o.retry()).isEqualTo(Retry.TRANSIENT);
  }

  @Test
  void aRefusedPasswordNamesTheSecretAndKeyButNotThePassword() {
    secret("DATABASE_URL", URL);
    database.refuseConnection = new AuthenticationError("Password authentication failed");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.reachable())).isEqualTo("False/AuthenticationFailed");
    assertThat(o.reachable().message())
        .isEqualTo("Password authentication failed in Secret db key DATABASE_URL")
        .doesNotContain("s3cret");
    assertThat(o.retry()).isEqualTo(Retry.TRANSIENT);
  }

  @Test
  void withoutMigrationsOnlyReachabilityCounts() {
    secret("DATABASE_URL", URL);
    Observation o = observer.observe(binding());
    assertThat(shown(o.reachable())).isEqualTo("True/Connected");
    assertThat(o.reachable().message()).doesNotContain("s3cret");
    assertThat(shown(o.migrations())).isEqualTo("True/NotConfigured");
    assertThat(o.failure()).isNull();
    assertThat(database.sessionsOpen).isZero();
  }

  @Test
  void aMissingConfigMapIsWaitedFor() {
    secret("DATABASE_URL", URL);
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.reachable())).isEqualTo("True/Connected");
    assertThat(shown(o.migrations())).isEqualTo("False/SourceNotFound");
    assertThat(o.migrations().message()).isEqualTo("ConfigMap m not found in namespace shop");
    assertThat(o.retry()).isEqualTo(Retry.ON_CHANGE);
  }

  @Test
  void aFileInTwoConfigMapsIsRefused() {
    secret("DATABASE_URL", URL);
    migrations("a", "V1__t.sql", "create table t (id int);");
    migrations("b", "V1__t.sql", "create table t (id int);");
    Observation o = observer.observe(binding("a", "b"));
    assertThat(shown(o.migrations())).isEqualTo("False/InvalidMigrationName");
    assertThat(o.migrations().message())
        .isEqualTo("V1__t.sql is in more than one ConfigMap; keep each migration in one");
    assertThat(o.retry()).isEqualTo(Retry.PERMANENT);
  }

  @Test
  void pendingMigrationsAreAppliedAndThenNotRunAgainWhileNothingChanges() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    Observation first = observer.observe(binding("m"));
    assertThat(shown(first.migrations())).isEqualTo("True/Applied");
    assertThat(first.migrations().message()).isEqualTo("Applied V1__t.sql; schema version 1");
    assertThat(first.applied()).containsExactly("V1__t.sql");
    int runs = database.engineRuns;

    Observation atOnce = observer.observe(binding("m"));
    assertThat(shown(atOnce.migrations()))
        .as("the reconcile right after the apply repeats it, so nothing is written twice")
        .isEqualTo("True/Applied");
    clock.advance(java.time.Duration.ofSeconds(10));
    Observation again = observer.observe(binding("m"));
    assertThat(shown(again.migrations())).isEqualTo("True/UpToDate");
    assertThat(again.migrations().message()).isEqualTo("Schema is at version 1");
    assertThat(again.applied()).isEmpty();
    assertThat(database.engineRuns).isEqualTo(runs);
  }

  /** An observer with nothing remembered, as after a restart of the operator. */
  private BindingObserver restarted() {
    return new BindingObserver(
        new BindingInputs(
            new ResourceLookup() {
              @Override
              public Optional<Secret> secret(String namespace, String name) {
                return Optional.ofNullable(secrets.get(namespace + "/" + name));
              }

              @Override
              public Optional<ConfigMap> configMap(String namespace, String name) {
                return Optional.ofNullable(configMaps.get(namespace + "/" + name));
              }
            }),
        database,
        new MigrationPass(new MigrationMemory(clock), new MigrationLinter()));
  }

  @Test
  void afterARestartTheStatusVouchesForTheSchemaSoNothingRunsAndNothingIsWritten() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    DatabaseBinding b = binding("m");
    b.setStatus(BindingStatuses.next(b, observer.observe(b), "t1"));
    assertThat(b.getStatus().getMigrationsFingerprint()).isNotNull();
    int runs = database.engineRuns;

    Observation o = restarted().observe(b);

    assertThat(database.engineRuns).isEqualTo(runs);
    assertThat(BindingStatuses.next(b, o, "t2")).isEqualTo(b.getStatus());
  }

  @Test
  void afterARestartAChangeMadeMeanwhileRunsTheEngine() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    DatabaseBinding b = binding("m");
    b.setStatus(BindingStatuses.next(b, observer.observe(b), "t1"));
    migrations("m", "V1__t.sql", "create table t (id int);", "V2__u.sql", "create table u ();");
    int runs = database.engineRuns;

    Observation o = restarted().observe(b);

    assertThat(database.engineRuns).isGreaterThan(runs);
    assertThat(o.applied()).containsExactly("V2__u.sql");
  }

  @Test
  void aRoutineCheckGivesWayWhenTheServerIsBusyButNewWorkWaitsItsTurn() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    DatabaseBinding settled = binding("m");
    settled.setStatus(BindingStatuses.next(settled, observer.observe(settled), "t1"));
    database.busy = true;

    assertThat(observer.observe(settled).isDeferred()).as("Ready at its generation").isTrue();

    DatabaseBinding changed = binding("m");
    changed.setStatus(settled.getStatus());
    changed.getMetadata().setGeneration(2L);
    assertThat(observer.observe(changed).isDeferred()).as("a new generation").isFalse();
    assertThat(observer.observe(binding("m")).isDeferred()).as("no status yet").isFalse();
  }

  @Test
  void aChangedHistoryTableMakesTheEngineRunAgain() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    observer.observe(binding("m"));
    int runs = database.engineRuns;
    database.applied.add("V0__by_hand.sql");

    observer.observe(binding("m"));

    assertThat(database.engineRuns).isGreaterThan(runs);
  }

  @Test
  void anEditedAppliedFileIsAChecksumMismatchOnlyAPersonCanFix() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id bigint);");
    database.failMigrate =
        new MigrationError(
            MigrationError.Reason.CHECKSUM_MISMATCH,
            "V1__t.sql was changed after it was applied (checksum mismatch)");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.migrations())).isEqualTo("False/ChecksumMismatch");
    assertThat(o.migrations().message()).startsWith("V1__t.sql was changed");
    assertThat(o.retry()).isEqualTo(Retry.PERMANENT);
    assertThat(o.info()).as("what the database holds after the failure").isNotNull();
  }

  @Test
  void aLockTimeOutIsRetriedWithBackoff() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "alter table t add column c int;");
    database.failMigrate =
        new MigrationError(MigrationError.Reason.LOCK_TIMEOUT, "V1__t.sql could not get a lock");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.migrations())).isEqualTo("False/LockTimeout");
    assertThat(o.retry()).isEqualTo(Retry.TRANSIENT);
    assertThat(o.failure()).isEqualTo(o.migrations());
  }

  @Test
  void aFailedScriptIsRetriedAndReportedWithTheSchemaItLeft() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);", "V2__u.sql", "create tabel u;");
    database.applied.add("V1__t.sql");
    database.failMigrate =
        new MigrationError(
            MigrationError.Reason.MIGRATION_FAILED, "V2__u.sql failed; it was rolled back");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.migrations())).isEqualTo("False/MigrationFailed");
    assertThat(o.retry()).isEqualTo(Retry.TRANSIENT);
    assertThat(o.info().schemaVersion()).isEqualTo("1");
    assertThat(o.info().pending()).isEqualTo(1);
  }

  @Test
  void aServerLostDuringThePassIsUnreachable() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    database.loseConnection = new DatabaseConnectionError("An I/O error occurred");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.reachable())).isEqualTo("False/Unreachable");
    assertThat(o.reachable().message()).isEqualTo("An I/O error occurred; retrying with backoff");
    assertThat(shown(o.migrations())).isEqualTo("Unknown/DatabaseNotReachable");
    assertThat(o.retry()).isEqualTo(Retry.TRANSIENT);
    assertThat(database.sessionsOpen).as("the session is closed").isZero();
  }

  @Test
  void lintInBlockModeAppliesNothingAndSaysHowToGetOut() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__idx.sql", "CREATE INDEX i ON t (c);");
    DatabaseBinding b = binding("m");
    b.getSpec().getMigrations().setLint("block");
    Observation o = observer.observe(b);
    assertThat(shown(o.migrations())).isEqualTo("False/UnsafeMigration");
    assertThat(o.migrations().message())
        .startsWith("Nothing applied: V1__idx.sql: require-concurrent-index-creation (line 1)")
        .contains("spec.migrations.lint to warn");
    assertThat(o.retry()).isEqualTo(Retry.PERMANENT);
    assertThat(database.applied).isEmpty();
  }

  @Test
  void aFirstPassWhoseFilesLintCleanRunsTheEngineOnce() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.migrations())).isEqualTo("True/Applied");
    assertThat(database.engineRuns)
        .as("migrate alone: no info is needed to tell which files lint would look at")
        .isEqualTo(1);
  }

  @Test
  void lintLooksOnlyAtPendingFilesSoAnUnsafeFileAppliedEarlierDoesNotBlock() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__idx.sql", "CREATE INDEX i ON t (c);");
    assertThat(shown(observer.observe(binding("m")).migrations())).isEqualTo("True/Applied");
    migrations(
        "m", "V1__idx.sql", "CREATE INDEX i ON t (c);", "V2__t.sql", "create table u (id int);");
    DatabaseBinding b = binding("m");
    b.getSpec().getMigrations().setLint("block");
    Observation o = observer.observe(b);
    assertThat(shown(o.migrations())).isEqualTo("True/Applied");
    assertThat(o.migrations().message()).isEqualTo("Applied V2__t.sql; schema version 2");
    assertThat(database.applied).containsExactly("V1__idx.sql", "V2__t.sql");
  }

  @Test
  void lintInWarnModeAppliesAndWarns() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__idx.sql", "CREATE INDEX i ON t (c);");
    Observation o = observer.observe(binding("m"));
    assertThat(shown(o.migrations())).isEqualTo("True/Applied");
    assertThat(o.lintWarnings())
        .containsExactly(
            "V1__idx.sql: require-concurrent-index-creation (line 1) breaks lint rules (see"
                + " dbbinding lint); applied because spec.migrations.lint is warn");
  }

  @Test
  void suspendedBindingsOnlyReportWhatIsPending() {
    secret("DATABASE_URL", URL);
    migrations("m", "V1__t.sql", "create table t (id int);");
    DatabaseBinding b = binding("m");
    b.getSpec().setSuspend(true);
    Observation o = observer.observe(b);
    assertThat(shown(o.migrations())).isEqualTo("False/Pending");
    assertThat(o.migrations().message())
        .isEqualTo("1 migration(s) pending; suspend is true, so nothing is applied");
    assertThat(o.retry()).isEqualTo(Retry.NONE);
    assertThat(database.applied).isEmpty();
  }

  @Test
  void aTransientFailureRepeatedPastTheRetryLimitStalls() {
    secret("DATABASE_URL", URL);
    database.refuseConnection = new DatabaseConnectionError("Connection refused");
    DatabaseBinding b = binding();
    b.getSpec().setRetryLimit(2);
    for (int attempt = 1; attempt <= 3; attempt++) {
      DatabaseBindingStatus next = BindingStatuses.next(b, observer.observe(b), "t" + attempt);
      b.setStatus(next);
    }
    assertThat(Conditions.find(b.getStatus().getConditions(), Reasons.STALLED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo(Reasons.RETRY_LIMIT_REACHED);
              assertThat(c.getMessage()).startsWith("Gave up after 2 retries (spec.retryLimit)");
            });
  }
}
