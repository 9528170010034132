package io.dbbinding.migrate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/** Flyway's view of the history table and the files, as an {@link InfoReport}. */
final class InfoReports {
  private InfoReports() {}

  /** Reads the history once: Flyway queries the database and resolves every file per call. */
  static InfoReport of(Flyway flyway) {
    boolean withoutFiles =
        flyway.getConfiguration().getResourceProvider() instanceof InMemoryResources r
            && r.isEmpty();
    MigrationInfoService info = flyway.info();
    List<MigrationInfoRow> rows = new ArrayList<>();
    int applied = 0;
    int pending = 0;
    int failed = 0;
    Instant last = null;
    for (MigrationInfo m : info.all()) {
      MigrationState state = withoutFiles ? historyOnly(m.getState()) : m.getState();
      if (state.isFailed()) {
        failed++;
      } else if (state.isApplied()) {
        applied++;
      } else if (state == MigrationState.PENDING
          || state == MigrationState.OUTDATED
          || state == MigrationState.ABOVE_TARGET) {
        pending++;
      }
      Instant installedOn = m.getInstalledOn() == null ? null : m.getInstalledOn().toInstant();
      if (installedOn != null && (last == null || installedOn.isAfter(last))) {
        last = installedOn;
      }
      rows.add(row(m, state, installedOn));
    }
    MigrationInfo current = info.current();
    String version =
        current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    return new InfoReport(version, applied, pending, failed, last, rows);
  }

  private static MigrationInfoRow row(MigrationInfo m, MigrationState state, Instant installedOn) {
    return new MigrationInfoRow(
        m.getVersion() == null ? null : m.getVersion().getVersion(),
        m.getDescription(),
        m.getType().name(),
        m.getScript(),
        m.getChecksum(),
        state.getDisplayName(),
        installedOn,
        m.getExecutionTime());
  }

  /**
   * Without files Flyway calls every applied migration "Future" or "Missing"; read from the history
   * alone, they are simply applied (or failed).
   */
  private static MigrationState historyOnly(MigrationState state) {
    return switch (state) {
      case FUTURE_SUCCESS, MISSING_SUCCESS -> MigrationState.SUCCESS;
      case FUTURE_FAILED, MISSING_FAILED -> MigrationState.FAILED;
      default -> state;
    };
  }
}
