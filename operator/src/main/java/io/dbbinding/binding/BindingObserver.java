package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.AuthenticationError;
import io.dbbinding.db.DatabaseError;

/**
 * One observation of a binding: reads its inputs, connects, and runs its migration pass. Never
 * throws: every outcome is an {@link Observation}, in this order of precedence: an input missing or
 * malformed, the database not reached, the migrations.
 */
public final class BindingObserver {
  private final BindingInputs inputs;
  private final BindingDatabase database;
  private final MigrationPass pass;
  private final SchemaDriftCheck drift;

  public BindingObserver(BindingInputs inputs, BindingDatabase database, MigrationPass pass) {
    this(inputs, database, pass, new SchemaDriftCheck(new SchemaBaselines()));
  }

  BindingObserver(
      BindingInputs inputs, BindingDatabase database, MigrationPass pass, SchemaDriftCheck drift) {
    this.inputs = inputs;
    this.database = database;
    this.pass = pass;
    this.drift = drift;
  }

  public Observation observe(DatabaseBinding binding) {
    Read<DatabaseUrl> read = inputs.databaseUrl(binding);
    if (!read.isOk()) {
      return Observation.notReached(read.failure(), null, read.retry());
    }
    DatabaseUrl url = read.value();
    String provider = url.provider().id();
    MigrationsSpec spec = binding.getSpec().getMigrations();
    BindingDatabase.Session session;
    try {
      if (settled(binding)) {
        java.util.Optional<BindingDatabase.Session> free = database.openIfFree(url, spec, binding);
        if (free.isEmpty()) {
          return Observation.deferred();
        }
        session = free.get();
      } else {
        session = database.open(url, spec, binding);
      }
    } catch (AuthenticationError e) {
      return Observation.notReached(
          Step.failed(
              Reasons.AUTHENTICATION_FAILED,
              e.getMessage() + " in Secret " + secretName(binding) + " key " + key(binding)),
          provider,
          Observation.Retry.TRANSIENT);
    } catch (DatabaseError e) {
      return Observation.notReached(
          Step.failed(
              Reasons.UNREACHABLE,
              e.getMessage() + " at " + url.primaryHost().authority() + "; retrying with backoff"),
          provider,
          Observation.Retry.TRANSIENT);
    }
    try (session) {
      Step connected = Step.ok(Reasons.CONNECTED, "Connected to " + url.masked());
      if (spec == null) {
        return Observation.reached(connected, provider, MigrationOutcome.notConfigured())
            .withDrift(DriftOutcome.notConfigured());
      }
      Read<MigrationFiles> files = inputs.migrationFiles(binding, spec);
      MigrationOutcome migrations =
          files.isOk()
              ? pass.run(binding, spec, files.value(), session)
              : MigrationOutcome.failed(files.failure(), null, files.retry());
      DriftOutcome schema =
          files.isOk()
              ? drift.check(binding, spec, migrations, session)
              : DriftOutcome.notChecked();
      return Observation.reached(connected, provider, migrations).withDrift(schema);
    } catch (DatabaseError e) {
      return Observation.lostDuringPass(e.getMessage(), provider);
    }
  }

  /**
   * Whether a check of this binding is routine: Ready for its current generation, so a periodic
   * check or the re-verification after a restart. New and changed bindings (no status yet, a
   * generation the status has not seen) and failing ones queue for their server's turn; routine
   * checks take a turn only when one is free, so that a burst of them (a restart of the operator
   * with a thousand bindings) never holds up the binding a user just created or changed.
   */
  static boolean settled(DatabaseBinding binding) {
    DatabaseBindingStatus s = binding.getStatus();
    return s != null
        && java.util.Objects.equals(
            s.getObservedGeneration(), binding.getMetadata().getGeneration())
        && Conditions.isTrue(s.getConditions(), Reasons.READY);
  }

  private static String secretName(DatabaseBinding binding) {
    return binding.getSpec().getDatabase().getSecretRef().getName();
  }

  private static String key(DatabaseBinding binding) {
    return BindingInputs.secretKey(binding);
  }
}
