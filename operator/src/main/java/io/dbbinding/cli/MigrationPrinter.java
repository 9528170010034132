package io.dbbinding.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationInfoRow;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.ValidationReport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the results of the migration commands: a readable table for people, or one JSON object
 * whose fields the README documents (they only ever gain fields).
 */
final class MigrationPrinter {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final PrintWriter out;
  private final boolean json;
  private final ObjectMapper mapper = new ObjectMapper();
  private List<Map<String, Object>> lint;

  MigrationPrinter(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  void migrated(MigrationResult r) {
    migrated(r, null);
  }

  /**
   * @param heldContractStep the contract step {@code migrate} held (without {@code --contract});
   *     null when it held none
   */
  void migrated(MigrationResult r, String heldContractStep) {
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("command", "migrate");
      body.put("success", true);
      body.put("initialVersion", r.initialVersion());
      body.put("schemaVersion", r.schemaVersion());
      body.put("applied", r.applied());
      body.put("pending", r.info().pending());
      body.put("durationMs", r.durationMs());
      body.put("heldContractStep", heldContractStep);
      print(body);
      return;
    }
    if (r.applied().isEmpty()) {
      out.println("Schema is up to date at version " + shown(r.schemaVersion()) + ".");
    } else {
      for (String script : r.applied()) {
        out.println("Applied " + script);
      }
      out.printf(
          "Migrated from version %s to %s: %d migration%s in %d ms.%n",
          shown(r.initialVersion()),
          shown(r.schemaVersion()),
          r.applied().size(),
          r.applied().size() == 1 ? "" : "s",
          r.durationMs());
    }
    if (r.info().pending() > 0) {
      // Above the target, or from a held contract step on.
      out.println(r.info().pending() + " migration(s) remain pending.");
    }
    out.flush();
  }

  void info(InfoReport r) {
    info(r, java.util.Set.of());
  }

  /**
   * @param contract the scripts of contract steps ({@code -- dbbinding:contract}): marked in the
   *     table's Type column, and as {@code "contract": true} in JSON
   */
  void info(InfoReport r, java.util.Set<String> contract) {
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("command", "info");
      body.put("schemaVersion", r.schemaVersion());
      body.put("applied", r.applied());
      body.put("pending", r.pending());
      body.put("failed", r.failed());
      body.put("lastApplied", r.lastApplied() == null ? null : r.lastApplied().toString());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (MigrationInfoRow m : r.migrations()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("version", m.version());
        row.put("description", m.description());
        row.put("type", m.type());
        row.put("script", m.script());
        row.put("checksum", m.checksum());
        row.put("state", m.state());
        row.put("installedOn", m.installedOn() == null ? null : m.installedOn().toString());
        row.put("executionTimeMs", m.executionTimeMs());
        row.put("contract", contract.contains(m.script()));
        rows.add(row);
      }
      body.put("migrations", rows);
      print(body);
      return;
    }
    out.printf(
        "Schema version: %s  (%d applied, %d pending, %d failed)%n%n",
        shown(r.schemaVersion()), r.applied(), r.pending(), r.failed());
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"Version", "Description", "Type", "State", "Installed on", "Checksum"});
    for (MigrationInfoRow m : r.migrations()) {
      table.add(
          new String[] {
            m.version() == null ? "R" : m.version(),
            m.description(),
            contract.contains(m.script()) ? m.type() + " contract" : m.type(),
            m.state(),
            m.installedOn() == null ? "" : WHEN.format(m.installedOn()),
            m.checksum() == null ? "" : m.checksum().toString()
          });
    }
    if (r.migrations().isEmpty()) {
      out.println("No migrations applied or found.");
    } else {
      printTable(table);
    }
    out.flush();
  }

  void validated(ValidationReport r) {
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("command", "validate");
      body.put("valid", r.valid());
      body.put("pending", r.pending());
      List<Map<String, Object>> problems = new ArrayList<>();
      for (ValidationReport.Problem p : r.problems()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("script", p.script());
        row.put("reason", p.reason().code());
        row.put("message", p.message());
        problems.add(row);
      }
      body.put("problems", problems);
      print(body);
      return;
    }
    if (r.valid()) {
      out.println("Valid: every applied migration matches its file (" + r.pending() + " pending).");
    } else {
      out.println("Invalid:");
      for (ValidationReport.Problem p : r.problems()) {
        out.println("  " + p.message());
      }
    }
    out.flush();
  }

  void error(String command, String reason, String message) {
    if (!json) {
      return; // the one line on standard error says it all
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("command", command);
    body.put("success", false);
    body.put("reason", reason);
    body.put("error", message);
    print(body);
  }

  private void printTable(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + width[i] + "s", row[i]));
        if (i < row.length - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Adds the lint problems of pending migrations to the JSON output, as {@code "lint"}. */
  void lint(List<Map<String, Object>> problems) {
    this.lint = problems;
  }

  private void print(Map<String, Object> body) {
    if (lint != null) {
      body.put("lint", lint);
    }
    try {
      out.println(mapper.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  private static String shown(String version) {
    return version == null ? "none" : version;
  }
}
