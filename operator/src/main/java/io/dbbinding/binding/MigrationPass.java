package io.dbbinding.binding;

import io.dbbinding.binding.MigrationMemory.Remembered;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.lint.MigrationLinter;
import io.dbbinding.migrate.ContractStep;
import io.dbbinding.migrate.ContractSteps;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationError;
import io.dbbinding.migrate.MigrationFile;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import java.util.List;
import java.util.Optional;

/**
 * One binding's migrations on an open session: skipped when nothing changed since the last pass,
 * only inspected when suspended, held back when lint blocks them, else applied. A {@link
 * DatabaseError} (the database went away) is left to the caller.
 */
final class MigrationPass {
  private final MigrationMemory memory;
  private final MigrationLinter linter;
  private final RolloutView rollout;

  MigrationPass(MigrationMemory memory, MigrationLinter linter) {
    this(memory, linter, RolloutView.none());
  }

  /**
   * @param rollout what the binding's pods declare, asked only while a contract step is pending
   */
  MigrationPass(MigrationMemory memory, MigrationLinter linter, RolloutView rollout) {
    this.memory = memory;
    this.linter = linter;
    this.rollout = rollout;
  }

  MigrationOutcome run(
      DatabaseBinding binding,
      MigrationsSpec spec,
      MigrationFiles files,
      BindingDatabase.Session session) {
    String key = MigrationMemory.key(binding);
    boolean suspend = binding.getSpec().isSuspend();
    String source = MigrationMemory.fingerprint(files, spec, suspend);
    String history = session.historyAtOpen();
    String verified = MigrationMemory.fingerprint(source, history);
    Optional<Remembered> last = memory.unchanged(key, source, history);
    if (last.isPresent()) {
      // Nothing changed on either side since the last pass: no need for Flyway.
      Remembered r = last.get();
      Step same =
          Reasons.APPLIED.equals(r.migrations().reason()) && !memory.fresh(key)
              ? Outcomes.upToDate(r.info().schemaVersion())
              : r.migrations();
      return MigrationOutcome.seen(same, r.info()).verified(verified);
    }
    Optional<Remembered> recorded = memory.recorded(binding, source, history);
    if (recorded.isPresent()) {
      // A restart of the operator: the status says this was verified, and nothing changed since.
      // The condition stays as it is, so that nothing is written.
      memory.remember(key, recorded.get());
      return MigrationOutcome.seen(recorded.get().migrations(), recorded.get().info())
          .verified(verified);
    }
    memory.forget(key);
    MigrationSource sql = files.source();
    try {
      MigrationOutcome outcome =
          suspend
              ? inspect(session, sql)
              : apply(session, sql, LintMode.parse(spec.getLint()), binding, spec.getTarget());
      // A pass waiting for the rollout is never remembered as settled: the next one must look at
      // the pods again, and apply the contract step once they allow it.
      return outcome.retry() == Observation.Retry.NONE && !waiting(outcome)
          ? remember(key, source, session, outcome)
          : outcome;
    } catch (MigrationError e) {
      memory.forget(key);
      return MigrationOutcome.failed(
          Outcomes.failed(e), infoAfterFailure(session, sql), Outcomes.retryOf(e.reason()));
    }
  }

  /** Suspended: report what is pending, apply nothing. */
  private static MigrationOutcome inspect(BindingDatabase.Session session, MigrationSource sql) {
    InfoReport info = session.info(sql);
    Step step =
        info.pending() > 0
            ? Step.failed(
                Reasons.PENDING,
                info.pending() + " migration(s) pending; suspend is true, so nothing is applied")
            : Outcomes.upToDate(info.schemaVersion());
    return MigrationOutcome.seen(step, info);
  }

  private static boolean waiting(MigrationOutcome outcome) {
    return Reasons.WAITING_FOR_ROLLOUT.equals(outcome.step().reason());
  }

  private MigrationOutcome apply(
      BindingDatabase.Session session,
      MigrationSource sql,
      LintMode lintMode,
      DatabaseBinding binding,
      String target) {
    InfoReport before = null;
    LintReport lint = new LintReport(0, List.of());
    if (lintMode != LintMode.OFF) {
      // Every file first, without the database: when all are clean (the usual case) no info is
      // needed to tell the pending ones, and a first pass saves a Flyway info on the server.
      List<MigrationFile> files = sql.load();
      LintReport all = linter.lint(files);
      if (!all.clean()) {
        before = session.info(sql);
        lint = MigrationLinter.pendingOf(all, files, before);
      }
    }
    if (!lint.clean() && lintMode == LintMode.BLOCK) {
      return MigrationOutcome.failed(
          Step.failed(Reasons.UNSAFE_MIGRATION, unsafe(lint)), before, Observation.Retry.PERMANENT);
    }
    List<String> warnings = warnings(lint);
    RolloutGate.Decision contract = contract(session, sql, before, binding, target);
    if (contract.waiting()) {
      return waitForRollout(session, sql, contract, warnings);
    }
    MigrationResult result = session.migrate(sql);
    Step step =
        result.applied().isEmpty()
            ? Outcomes.upToDate(result.schemaVersion())
            : Step.ok(
                Reasons.APPLIED,
                "Applied "
                    + String.join(", ", result.applied())
                    + "; schema version "
                    + Outcomes.shown(result.schemaVersion())
                    + released(contract));
    return MigrationOutcome.done(step, result.info(), result.applied(), warnings);
  }

  /**
   * Whether a pending contract step must wait for the rollout. The pods are asked only when the
   * files hold a contract step not applied yet, so bindings without one pay nothing.
   */
  private RolloutGate.Decision contract(
      BindingDatabase.Session session,
      MigrationSource sql,
      InfoReport before,
      DatabaseBinding binding,
      String target) {
    List<MigrationFile> files = sql.load();
    if (files.stream().noneMatch(MigrationFile::isContract)) {
      return RolloutGate.decide(List.of(), List.of());
    }
    InfoReport now = before == null ? session.info(sql) : before;
    List<ContractStep> pending = ContractSteps.pending(files, now.schemaVersion(), target);
    if (pending.isEmpty()) {
      return RolloutGate.decide(List.of(), List.of());
    }
    return RolloutGate.decide(pending, rollout.declared(binding));
  }

  /**
   * Applies what comes before the held contract step, and reports the wait: not a failure, the
   * schema serves every running pod. Everything from the held step on stays pending.
   */
  private static MigrationOutcome waitForRollout(
      BindingDatabase.Session session,
      MigrationSource sql,
      RolloutGate.Decision contract,
      List<String> warnings) {
    ContractStep held = contract.held().orElseThrow();
    MigrationSource below = ContractSteps.before(sql, held);
    List<String> applied = below.load().isEmpty() ? List.of() : session.migrateAll(below).applied();
    InfoReport info = session.info(sql);
    Step step =
        Step.failed(
            Reasons.WAITING_FOR_ROLLOUT,
            contract.message() + "; schema at version " + Outcomes.shown(info.schemaVersion()));
    // Only the files applied now: a held file is linted again at each pass of the wait, and its
    // warning would be an Event every time.
    List<String> appliedWarnings =
        warnings.stream()
            .filter(w -> applied.stream().anyMatch(a -> w.startsWith(a + ":")))
            .toList();
    return new MigrationOutcome(step, info, applied, Observation.Retry.NONE, appliedWarnings);
  }

  /** What the Applied message adds when contract steps were among the migrations applied. */
  private static String released(RolloutGate.Decision contract) {
    if (contract.released().isEmpty()) {
      return "";
    }
    return " (contract step "
        + String.join(
            ", ",
            contract.released().stream()
                .map(s -> s.script().substring(s.script().lastIndexOf('/') + 1))
                .toList())
        + ": no pod needs an older schema)";
  }

  private static List<String> warnings(LintReport lint) {
    return lint.summaryByScript().stream()
        .map(
            line ->
                line
                    + " breaks lint rules (see dbbinding lint); applied because"
                    + " spec.migrations.lint is warn")
        .toList();
  }

  /** The UnsafeMigration message: each file with its rules and lines, and the ways out. */
  private static String unsafe(LintReport lint) {
    return "Nothing applied: "
        + String.join("; ", lint.summaryByScript())
        + ". Fix the migration (dbbinding lint shows the safe alternative), or waive a rule with"
        + " '-- dbbinding:allow <rule>' on the line before the statement, or set"
        + " spec.migrations.lint to warn";
  }

  /**
   * What the database holds after a failed run (migrations before the failing one stay applied), so
   * that the status shows the real schema version and pending count; null when even that cannot be
   * read (a source that does not load, a database that went away).
   */
  private static InfoReport infoAfterFailure(BindingDatabase.Session session, MigrationSource sql) {
    try {
      return session.info(sql);
    } catch (DatabaseError e) { // MigrationError included
      return null;
    }
  }

  /** Remembers a pass that ended well; a successful one is returned with its fingerprint. */
  private MigrationOutcome remember(
      String key, String source, BindingDatabase.Session session, MigrationOutcome outcome) {
    Optional<String> after = session.historyNow();
    if (after.isEmpty()) {
      memory.forget(key);
      return outcome;
    }
    memory.remember(key, new Remembered(source, after.get(), outcome.step(), outcome.info()));
    return outcome.step().isTrue()
        ? outcome.verified(MigrationMemory.fingerprint(source, after.get()))
        : outcome;
  }
}
