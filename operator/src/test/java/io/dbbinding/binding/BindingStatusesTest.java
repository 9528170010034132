package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.migrate.InfoReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindingStatusesTest {
  private static final String T0 = "2026-11-24T10:00:00Z";
  private static final String T1 = "2026-11-24T10:05:00Z";

  private static DatabaseBinding binding() {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName("orders");
    b.getMetadata().setNamespace("shop");
    b.getMetadata().setGeneration(4L);
    b.setSpec(new DatabaseBindingSpec());
    return b;
  }

  private static Observation ready() {
    return new Observation(
        Step.ok(Reasons.CONNECTED, "Connected"),
        Step.ok(Reasons.UP_TO_DATE, "Schema is at version 2"),
        "neon",
        new InfoReport("2", 2, 0, 0, Instant.parse("2026-11-23T10:00:00Z"), List.of()),
        List.of(),
        Retry.NONE);
  }

  private static String c(DatabaseBindingStatus s, String type) {
    return Conditions.find(s.getConditions(), type)
        .map(x -> x.getStatus() + "/" + x.getReason())
        .orElse("absent");
  }

  @Test
  void aHealthyObservationMakesEveryConditionAsTheDesignSays() {
    DatabaseBindingStatus s = BindingStatuses.next(binding(), ready(), T0);
    assertThat(c(s, "DatabaseReachable")).isEqualTo("True/Connected");
    assertThat(c(s, "MigrationsApplied")).isEqualTo("True/UpToDate");
    assertThat(c(s, "Ready")).isEqualTo("True/Ready");
    assertThat(c(s, "Reconciling")).isEqualTo("False/Idle");
    assertThat(c(s, "Stalled")).isEqualTo("False/Idle");
    assertThat(s.getObservedGeneration()).isEqualTo(4L);
    assertThat(s.getProvider()).isEqualTo("neon");
    assertThat(s.getSchemaVersion()).isEqualTo("2");
    assertThat(s.getAppliedMigrations()).isEqualTo(2);
    assertThat(s.getPendingMigrations()).isZero();
    assertThat(s.getLastMigrationTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(s.getConditions())
        .allSatisfy(x -> assertThat(x.getObservedGeneration()).isEqualTo(4L));
  }

  @Test
  void theSameObservationLaterGivesAnEqualStatusSoNothingIsPatched() {
    DatabaseBinding b = binding();
    b.setStatus(BindingStatuses.next(b, ready(), T0));
    DatabaseBindingStatus again = BindingStatuses.next(b, ready(), T1);
    assertThat(again).isEqualTo(b.getStatus());
    assertThat(again.getConditions())
        .allSatisfy(x -> assertThat(x.getLastTransitionTime()).isEqualTo(T0));
  }

  @Test
  void aTransientFailureIsReconcilingUntilRetriesAreExhaustedThenStalled() {
    DatabaseBinding b = binding();
    b.setStatus(BindingStatuses.next(b, ready(), T0));
    Observation down =
        new Observation(
            Step.failed(Reasons.UNREACHABLE, "The database cannot be reached"),
            Step.unknown(Reasons.DATABASE_NOT_REACHABLE, "later"),
            "neon",
            null,
            List.of(),
            Retry.TRANSIENT);
    DatabaseBindingStatus retrying = BindingStatuses.next(b, down, T1);
    assertThat(c(retrying, "DatabaseReachable")).isEqualTo("False/Unreachable");
    assertThat(c(retrying, "MigrationsApplied")).as("last known kept").isEqualTo("True/UpToDate");
    assertThat(c(retrying, "Ready")).isEqualTo("False/Unreachable");
    assertThat(c(retrying, "Reconciling")).isEqualTo("True/Unreachable");
    assertThat(c(retrying, "Stalled")).isEqualTo("False/Idle");
    assertThat(retrying.getSchemaVersion()).as("kept while unreachable").isEqualTo("2");
    Conditions.find(retrying.getConditions(), "Ready")
        .ifPresent(x -> assertThat(x.getLastTransitionTime()).isEqualTo(T1));

    assertThat(retrying.getFailures()).isEqualTo(1);
  }

  @Test
  void theRetryLimitCountsRetriesAfterTheFirstFailureThenStallsAndASuccessResetsTheCount() {
    DatabaseBinding b = binding();
    b.getSpec().setRetryLimit(2);
    b.setStatus(BindingStatuses.next(b, ready(), T0));
    assertThat(b.getStatus().getFailures()).isZero();
    Observation down =
        new Observation(
            Step.failed(Reasons.UNREACHABLE, "The database cannot be reached"),
            Step.unknown(Reasons.DATABASE_NOT_REACHABLE, "later"),
            "neon",
            null,
            List.of(),
            Retry.TRANSIENT);
    for (int failures = 1; failures <= 2; failures++) {
      b.setStatus(BindingStatuses.next(b, down, T1));
      assertThat(b.getStatus().getFailures()).isEqualTo(failures);
      assertThat(c(b.getStatus(), "Reconciling")).isEqualTo("True/Unreachable");
      assertThat(c(b.getStatus(), "Stalled")).isEqualTo("False/Idle");
    }

    b.setStatus(BindingStatuses.next(b, down, T1));
    assertThat(b.getStatus().getFailures()).as("the first attempt and 2 retries").isEqualTo(3);
    assertThat(c(b.getStatus(), "Reconciling")).isEqualTo("False/Idle");
    assertThat(c(b.getStatus(), "Stalled")).isEqualTo("True/RetryLimitReached");
    assertThat(c(b.getStatus(), "Ready")).as("the failure itself").isEqualTo("False/Unreachable");
    assertThat(Conditions.find(b.getStatus().getConditions(), "Stalled").orElseThrow().getMessage())
        .startsWith("Gave up after 2 retries (spec.retryLimit): The database cannot be reached");

    b.setStatus(BindingStatuses.next(b, down, T1));
    assertThat(b.getStatus().getFailures()).as("later checks still count").isEqualTo(4);
    assertThat(c(b.getStatus(), "Stalled")).isEqualTo("True/RetryLimitReached");

    b.setStatus(BindingStatuses.next(b, ready(), T1));
    assertThat(b.getStatus().getFailures()).isZero();
    assertThat(c(b.getStatus(), "Stalled")).isEqualTo("False/Idle");
    assertThat(c(b.getStatus(), "Ready")).isEqualTo("True/Ready");
  }

  @Test
  void waitingForTheMigrationLockIsReconcilingAndNeverUsesUpRetries() {
    DatabaseBinding b = binding();
    b.getSpec().setRetryLimit(1);
    b.setStatus(BindingStatuses.next(b, ready(), T0));
    Observation held =
        new Observation(
            Step.ok(Reasons.CONNECTED, "Connected"),
            Step.failed(
                Reasons.MIGRATION_LOCK_HELD, "The migration lock is held by pid 42 (a dead run)"),
            "neon",
            null,
            List.of(),
            Retry.WAITING);
    for (int i = 0; i < 5; i++) {
      b.setStatus(BindingStatuses.next(b, held, T1));
      assertThat(b.getStatus().getFailures()).isZero();
      assertThat(c(b.getStatus(), "MigrationsApplied")).isEqualTo("False/MigrationLockHeld");
      assertThat(c(b.getStatus(), "Ready")).isEqualTo("False/MigrationLockHeld");
      assertThat(c(b.getStatus(), "Reconciling")).isEqualTo("True/MigrationLockHeld");
      assertThat(c(b.getStatus(), "Stalled")).isEqualTo("False/Idle");
    }
    assertThat(
            Conditions.find(b.getStatus().getConditions(), "Reconciling")
                .orElseThrow()
                .getMessage())
        .isEqualTo("Waiting: The migration lock is held by pid 42 (a dead run)");
  }

  @Test
  void aRetryLimitOfZeroStallsAtTheFirstTransientFailure() {
    DatabaseBinding b = binding();
    b.getSpec().setRetryLimit(0);
    Observation down =
        new Observation(
            Step.failed(Reasons.UNREACHABLE, "The database cannot be reached"),
            Step.unknown(Reasons.DATABASE_NOT_REACHABLE, "later"),
            null,
            null,
            List.of(),
            Retry.TRANSIENT);
    DatabaseBindingStatus s = BindingStatuses.next(b, down, T0);
    assertThat(c(s, "Stalled")).isEqualTo("True/RetryLimitReached");
    assertThat(BindingStatuses.retryLimitReached(b, s.getFailures())).isTrue();
  }

  @Test
  void aPermanentFailureStallsAtOnceWithTheSameReason() {
    Observation bad =
        new Observation(
            Step.ok(Reasons.CONNECTED, "ok"),
            Step.failed(Reasons.CHECKSUM_MISMATCH, "V1__a.sql was changed after it was applied"),
            "postgresql",
            null,
            List.of(),
            Retry.PERMANENT);
    DatabaseBindingStatus s = BindingStatuses.next(binding(), bad, T0);
    assertThat(c(s, "MigrationsApplied")).isEqualTo("False/ChecksumMismatch");
    assertThat(c(s, "Ready")).isEqualTo("False/ChecksumMismatch");
    assertThat(c(s, "Stalled")).isEqualTo("True/ChecksumMismatch");
    assertThat(c(s, "Reconciling")).isEqualTo("False/Idle");
  }

  @Test
  void waitingForASecretIsNeitherStalledNorReconciling() {
    Observation waiting =
        new Observation(
            Step.failed(Reasons.SECRET_NOT_FOUND, "Secret x not found"),
            Step.unknown(Reasons.DATABASE_NOT_REACHABLE, "later"),
            null,
            null,
            List.of(),
            Retry.ON_CHANGE);
    DatabaseBindingStatus s = BindingStatuses.next(binding(), waiting, T0);
    assertThat(c(s, "MigrationsApplied")).isEqualTo("Unknown/DatabaseNotReachable");
    assertThat(c(s, "Ready")).isEqualTo("False/SecretNotFound");
    assertThat(c(s, "Stalled")).isEqualTo("False/Idle");
    assertThat(c(s, "Reconciling")).isEqualTo("False/Idle");
  }

  @Test
  void durationsParseAsKubernetesWritesThem() {
    assertThat(Durations.parse("30s", null)).hasSeconds(30);
    assertThat(Durations.parse("1h30m", null)).hasMinutes(90);
    assertThat(Durations.parse("500ms", null)).hasMillis(500);
    assertThat(Durations.parse("1.5m", null)).hasSeconds(90);
    assertThat(Durations.parse("soon", java.time.Duration.ofSeconds(60))).hasSeconds(60);
    DatabaseBinding b = binding();
    b.getSpec().setCheckInterval("1ms");
    assertThat(BindingReconciler.checkInterval(b)).isEqualTo(BindingReconciler.MIN_CHECK_INTERVAL);
  }
}
