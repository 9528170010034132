package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.lint.MigrationLinter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A migration pass with a contract step, driven by {@link FakeDatabase} and pods given as values:
 * what it applies while the step waits, the status it leads to, and that a waiting pass is never
 * remembered as settled.
 */
class ContractPassTest {
  private final FakeDatabase database = new FakeDatabase();
  private final List<DeclaredVersion> pods = new ArrayList<>();
  private int asked;
  private final Map<String, String> files =
      new java.util.LinkedHashMap<>(
          Map.of(
              "V1__people.sql", "CREATE TABLE people (id int, name text);",
              "V2__full_name.sql", "ALTER TABLE people ADD full_name text;",
              "V3__drop_name.sql", "-- dbbinding:contract\nALTER TABLE people DROP name;",
              "V4__email.sql", "ALTER TABLE people ADD email text;"));

  private final BindingObserver observer =
      new BindingObserver(
          new BindingInputs(
              new ResourceLookup() {
                @Override
                public Optional<Secret> secret(String namespace, String name) {
                  return Optional.of(
                      new SecretBuilder()
                          .withNewMetadata()
                          .withName(name)
                          .withNamespace(namespace)
                          .endMetadata()
                          .withStringData(
                              Map.of("DATABASE_URL", "postgresql://app:s3cret@db:5432/shop"))
                          .build());
                }

                @Override
                public Optional<ConfigMap> configMap(String namespace, String name) {
                  return Optional.of(
                      new ConfigMapBuilder()
                          .withNewMetadata()
                          .withName(name)
                          .withNamespace(namespace)
                          .endMetadata()
                          .withData(files)
                          .build());
                }
              }),
          database,
          new MigrationPass(
              new MigrationMemory(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)),
              new MigrationLinter(),
              b -> {
                asked++;
                return List.copyOf(pods);
              }));

  private static DatabaseBinding binding() {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName("people");
    b.getMetadata().setNamespace("shop");
    b.getMetadata().setUid("uid-1");
    b.getMetadata().setGeneration(1L);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef db = new DatabaseRef();
    db.setSecretRef(new SecretKeyRef("db", null));
    spec.setDatabase(db);
    MigrationsSpec m = new MigrationsSpec();
    m.setConfigMapRefs(List.of(new ConfigMapRef("m")));
    spec.setMigrations(m);
    b.setSpec(spec);
    return b;
  }

  private static String shown(Step s) {
    return s.status() + "/" + s.reason();
  }

  @Test
  void aHeldStepLetsTheExpandPartThroughAndIsNoFailure() {
    pods.add(new DeclaredVersion("Deployment shop", "1", 2));
    DatabaseBinding b = binding();
    Observation o = observer.observe(b);

    assertThat(shown(o.migrations())).isEqualTo("False/WaitingForRollout");
    assertThat(o.migrations().message())
        .isEqualTo(
            "Contract step V3__drop_name.sql waits for the rollout: every pod must declare schema"
                + " version 2 or later; still older: Deployment shop (2 pods at version 1); schema"
                + " at version 2");
    assertThat(o.applied()).containsExactly("V1__people.sql", "V2__full_name.sql");
    assertThat(database.applied).doesNotContain("V3__drop_name.sql", "V4__email.sql");
    assertThat(o.info().pending()).as("the held step and the one after it").isEqualTo(2);
    assertThat(o.failure()).isNull();
    assertThat(o.retry()).isEqualTo(Retry.NONE);
    assertThat(o.fingerprint()).isNull();

    DatabaseBindingStatus s = BindingStatuses.next(b, o, "2026-12-05T08:00:00Z");
    assertThat(Conditions.find(s.getConditions(), "Ready").orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(Conditions.find(s.getConditions(), "Reconciling").orElseThrow().getReason())
        .isEqualTo("WaitingForRollout");
    assertThat(Conditions.find(s.getConditions(), "Stalled").orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(s.getFailures()).isZero();
    assertThat(s.getPendingMigrations()).isEqualTo(2);
    assertThat(s.getSchemaVersion()).isEqualTo("2");
    assertThat(s.getMigrationsFingerprint()).isNull();
  }

  @Test
  void aWaitingPassIsNeverRememberedSoTheNextOneLooksAgainAndApplies() {
    pods.add(new DeclaredVersion("pod old", "1", 1));
    DatabaseBinding b = binding();
    observer.observe(b);
    Observation still = observer.observe(b);
    assertThat(shown(still.migrations())).isEqualTo("False/WaitingForRollout");
    assertThat(asked).isEqualTo(2);

    pods.clear();
    Observation done = observer.observe(b);
    assertThat(shown(done.migrations())).isEqualTo("True/Applied");
    assertThat(done.migrations().message())
        .isEqualTo(
            "Applied V3__drop_name.sql, V4__email.sql; schema version 4 (contract step"
                + " V3__drop_name.sql: no pod needs an older schema)");
    assertThat(done.fingerprint()).isNotNull();
  }

  @Test
  void aHeldFileWarnsOnlyWhenItIsApplied() {
    files.put(
        "V3__drop_name.sql",
        "-- dbbinding:contract\nALTER TABLE people RENAME COLUMN name TO old_name;");
    pods.add(new DeclaredVersion("pod old", "1", 1));
    DatabaseBinding b = binding();
    assertThat(observer.observe(b).lintWarnings()).isEmpty();
    assertThat(observer.observe(b).lintWarnings()).isEmpty();
    pods.clear();
    assertThat(observer.observe(b).lintWarnings())
        .singleElement()
        .satisfies(w -> assertThat(w).startsWith("V3__drop_name.sql: renaming-column"));
  }

  @Test
  void withoutAPendingContractStepThePodsAreNotAsked() {
    files.remove("V3__drop_name.sql");
    observer.observe(binding());
    assertThat(asked).isZero();
  }
}
