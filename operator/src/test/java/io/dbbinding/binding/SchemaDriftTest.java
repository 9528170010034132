package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.lint.MigrationLinter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drift check of an observation and the status it leads to, driven by {@link FakeDatabase}: the
 * test says what the catalog query reads, as a migration or a person in psql would leave it.
 */
class SchemaDriftTest {
  private final Map<String, Secret> secrets = new HashMap<>();
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final FakeDatabase database = new FakeDatabase();
  private final Map<String, String> files = new LinkedHashMap<>();
  private BindingObserver observer = restarted();
  private DatabaseBinding binding;
  private int step;

  @BeforeEach
  void setUp() {
    secrets.put(
        "shop/db",
        new SecretBuilder()
            .withNewMetadata()
            .withName("db")
            .withNamespace("shop")
            .endMetadata()
            .withStringData(Map.of("DATABASE_URL", "postgresql://app:s3cret@db.example/shop"))
            .build());
    binding = binding("warn");
    migration("V1__orders.sql", "create table orders (id int, note text);");
    database.schemaObjects.putAll(
        Map.of(
            "table public.orders", "t1",
            "column public.orders.id", "c1",
            "column public.orders.note", "c2"));
  }

  private void migration(String name, String sql) {
    files.put(name, sql);
    configMaps.put(
        "shop/m",
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("m")
            .withNamespace("shop")
            .endMetadata()
            .withData(new LinkedHashMap<>(files))
            .build());
  }

  private static DatabaseBinding binding(String drift) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName("orders");
    b.getMetadata().setNamespace("shop");
    b.getMetadata().setUid("uid-1");
    b.getMetadata().setGeneration(1L);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef db = new DatabaseRef();
    db.setSecretRef(new SecretKeyRef("db", null));
    spec.setDatabase(db);
    MigrationsSpec m = new MigrationsSpec();
    m.setConfigMapRefs(List.of(new ConfigMapRef("m")));
    m.setDrift(drift);
    spec.setMigrations(m);
    b.setSpec(spec);
    return b;
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
        new MigrationPass(new MigrationMemory(Clock.systemUTC()), new MigrationLinter()));
  }

  /** One reconcile: observes, and keeps the status as the patch would. */
  private DatabaseBindingStatus check() {
    Observation o = observer.observe(binding);
    DatabaseBindingStatus before = binding.getStatus();
    DatabaseBindingStatus next = BindingStatuses.next(binding, o, "t" + step++);
    newDrifts += DriftOutcome.newlyDrifted(before, next) ? 1 : 0;
    binding.setStatus(next);
    return next;
  }

  private int newDrifts;

  private static String condition(DatabaseBindingStatus s, String type) {
    return Conditions.find(s.getConditions(), type)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("absent");
  }

  private static String message(DatabaseBindingStatus s, String type) {
    return Conditions.find(s.getConditions(), type).orElseThrow().getMessage();
  }

  @Test
  void aColumnDroppedByHandIsNamedOnceAndTheBaselineStays() {
    DatabaseBindingStatus first = check();
    assertThat(condition(first, "SchemaDrift")).isEqualTo("False/NoDrift");
    assertThat(first.getSchemaFingerprint()).hasSize(32);
    String baseline = first.getSchemaFingerprint();

    database.schemaObjects.remove("column public.orders.note");
    DatabaseBindingStatus drifted = check();
    assertThat(condition(drifted, "SchemaDrift")).isEqualTo("True/Drifted");
    assertThat(message(drifted, "SchemaDrift"))
        .startsWith(
            "Schema public was changed outside migrations: column public.orders.note removed;");
    assertThat(condition(drifted, "Ready")).as("warn leaves Ready alone").isEqualTo("True/Ready");
    assertThat(drifted.getSchemaFingerprint()).isEqualTo(baseline);

    DatabaseBindingStatus again = check();
    assertThat(again).as("an unchanged drift writes nothing").isEqualTo(drifted);
    assertThat(newDrifts).as("one Event and one count per drift").isEqualTo(1);
  }

  @Test
  void blockKeepsReadyFalseUntilTheColumnIsRestored() {
    binding = binding("block");
    check();
    database.schemaObjects.remove("column public.orders.note");
    DatabaseBindingStatus drifted = check();
    assertThat(condition(drifted, "Ready")).isEqualTo("False/Drifted");
    assertThat(message(drifted, "Ready"))
        .contains("column public.orders.note removed")
        .endsWith("Ready is False while spec.migrations.drift is block");
    assertThat(condition(drifted, "Stalled")).isEqualTo("False/Idle");
    assertThat(drifted.getFailures()).as("not a failure to retry").isZero();

    database.schemaObjects.put("column public.orders.note", "c2");
    DatabaseBindingStatus restored = check();
    assertThat(condition(restored, "Ready")).isEqualTo("True/Ready");
    assertThat(condition(restored, "SchemaDrift")).isEqualTo("False/NoDrift");
  }

  @Test
  void aMigrationReBaselinesTheSchemaItChanges() {
    binding = binding("block");
    check();
    database.schemaObjects.remove("column public.orders.note");
    assertThat(condition(check(), "Ready")).isEqualTo("False/Drifted");

    // The change made into a migration: what it leaves is the new baseline.
    migration("V2__drop_note.sql", "alter table orders drop column if exists note;");
    database.schemaObjects.put("column public.orders.id", "c1-bigint");
    DatabaseBindingStatus after = check();
    assertThat(condition(after, "MigrationsApplied")).isEqualTo("True/Applied");
    assertThat(condition(after, "SchemaDrift")).isEqualTo("False/NoDrift");
    assertThat(condition(after, "Ready")).isEqualTo("True/Ready");
    assertThat(condition(check(), "SchemaDrift")).isEqualTo("False/NoDrift");
  }

  @Test
  void migrationsRunByAnotherToolAreNotDrift() {
    check();
    // dbbinding migrate from CI: the history table changed, and the schema with it.
    database.applied.add("V0__elsewhere.sql");
    database.schemaObjects.put("table public.audit", "t2");
    assertThat(condition(check(), "SchemaDrift")).isEqualTo("False/NoDrift");
  }

  @Test
  void offNeverReadsTheCatalog() {
    binding = binding("off");
    DatabaseBindingStatus s = check();
    database.schemaObjects.clear();
    s = check();
    assertThat(condition(s, "SchemaDrift")).isEqualTo("False/DriftCheckOff");
    assertThat(s.getSchemaFingerprint()).isNull();
    assertThat(database.schemaReads).isZero();
  }

  @Test
  void withoutMigrationsThereIsNothingToCompare() {
    binding.getSpec().setMigrations(null);
    DatabaseBindingStatus s = check();
    assertThat(condition(s, "SchemaDrift")).isEqualTo("False/NotConfigured");
    assertThat(database.schemaReads).isZero();
  }

  @Test
  void afterARestartAnUnchangedSchemaIsVouchedForAndNothingIsWritten() {
    DatabaseBindingStatus before = check();
    observer = restarted();
    assertThat(check()).isEqualTo(before);
    database.schemaObjects.remove("column public.orders.note");
    assertThat(message(check(), "SchemaDrift"))
        .as("the baseline was read again after the restart: names are known")
        .contains("column public.orders.note removed");
  }

  @Test
  void afterARestartADriftIsReportedWithoutNamesUntilItIsUndone() {
    DatabaseBindingStatus before = check();
    database.schemaObjects.remove("column public.orders.note");
    observer = restarted();
    DatabaseBindingStatus drifted = check();
    assertThat(condition(drifted, "SchemaDrift")).isEqualTo("True/Drifted");
    assertThat(message(drifted, "SchemaDrift"))
        .contains("the operator restarted since, so it cannot name the objects")
        .contains("dbbinding diff names them");
    assertThat(drifted.getSchemaFingerprint()).isEqualTo(before.getSchemaFingerprint());

    database.schemaObjects.put("column public.orders.note", "c2");
    assertThat(condition(check(), "SchemaDrift")).isEqualTo("False/NoDrift");
    database.schemaObjects.put("column public.orders.extra", "c3");
    assertThat(message(check(), "SchemaDrift")).contains("column public.orders.extra added");
  }

  @Test
  void anUnreachableDatabaseKeepsWhatWasLastKnown() {
    check();
    database.schemaObjects.remove("column public.orders.note");
    DatabaseBindingStatus drifted = check();
    database.refuseConnection = new io.dbbinding.db.DatabaseConnectionError("down");
    DatabaseBindingStatus down = check();
    assertThat(condition(down, "SchemaDrift")).isEqualTo("True/Drifted");
    assertThat(down.getSchemaFingerprint()).isEqualTo(drifted.getSchemaFingerprint());
  }
}
