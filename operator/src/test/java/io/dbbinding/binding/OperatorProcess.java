package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operator as a process, and the slow migration the fault tests stop it in. */
final class OperatorProcess {
  private OperatorProcess() {}

  /**
   * {@code dbbinding operator} as its own JVM, leader election on the Lease in {@code ns} as {@code
   * identity}, watching {@code ns}; its output goes to {@code log}.
   */
  static Process start(Path kubeconfig, Path log, String ns, String identity) throws IOException {
    ProcessBuilder pb = CliProcess.builder(log, "operator");
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("POD_NAMESPACE", ns);
    env.put("POD_NAME", identity);
    env.put("WATCH_NAMESPACES", ns);
    env.put("PORT", Integer.toString(FreePorts.any()));
    return pb.start();
  }

  /** V1, then a V2 that sleeps {@code seconds} between two of its statements. */
  static Map<String, String> slowMigrations(int seconds) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("V1__a.sql", "CREATE TABLE a (id int);");
    files.put(
        "V2__slow.sql",
        "CREATE TABLE b (id int);\nSELECT pg_sleep(" + seconds + ");\nCREATE TABLE c (id int);");
    return files;
  }

  /** The history table as "version:success", in the order applied. */
  static List<String> history(DatabaseUrl db) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version || ':' || success FROM flyway_schema_history ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  /** Whether a statement of {@code db} is in its pg_sleep now. */
  static boolean sleeping(DatabaseUrl db) {
    try (Connection c = PostgresServer.connect(TestDatabases.server().adminUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                    + db.database()
                    + "' AND query LIKE '%pg_sleep(%' AND state = 'active'")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }
}
