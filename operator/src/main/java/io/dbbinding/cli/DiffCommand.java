package io.dbbinding.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.SqlErrors;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.migrate.SchemaCatalog;
import io.dbbinding.migrate.SchemaDiff;
import io.dbbinding.migrate.SchemaSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import picocli.CommandLine.Command;

/**
 * {@code dbbinding diff}: the live schema compared with the one its applied migrations produce. The
 * migrations up to the live database's schema version are applied to a scratch database (the
 * embedded PostgreSQL of {@code dev}), and both are read with the catalog query the operator's
 * drift check uses, so that the objects are named as in its SchemaDrift message.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Compare the schema of DATABASE_URL with the one the migrations in --location produce up",
      "to its schema version (applied to a scratch embedded PostgreSQL), object by object.",
      "Exit codes: 0 in sync, 3 the schema differs, 1 the database failed, 2 bad usage or",
      "settings."
    })
final class DiffCommand extends MigrationCommand {
  DiffCommand(CliContext context) {
    super(context);
  }

  @Override
  String name() {
    return "diff";
  }

  @Override
  int run(Migrator migrator, MigrationPrinter printer) {
    if (options.locations.isEmpty()) {
      throw new ConfigurationException("diff needs --location: the migrations to compare with");
    }
    if (!EmbeddedDatabase.isAvailable()) {
      throw new ConfigurationException(
          "diff applies the migrations to an embedded PostgreSQL, which this build leaves out"
              + " (the image); run ./dbbinding diff from a checkout");
    }
    Optional<String> platform = EmbeddedPlatform.problemHere();
    if (platform.isPresent()) {
      throw new ConfigurationException(platform.get());
    }
    MigrationSource source = options.source(context.workingDirectory());
    MigrationOptions wanted = options.options();
    String version = migrator.info(source).schemaVersion();
    SchemaCatalog catalog = new SchemaCatalog(wanted.schema(), wanted.table());
    SchemaSnapshot live = read(catalog, dataSource());
    SchemaSnapshot expected = expected(source, wanted, version, catalog);
    SchemaDiff diff = SchemaDiff.between(expected, live);
    print(wanted.schema(), version, diff);
    return diff.inSync() ? ExitCode.OK : ExitCode.DRIFTED;
  }

  /**
   * The schema the migrations up to {@code version} produce on a new database; an empty one when
   * the live database has none applied.
   */
  private static SchemaSnapshot expected(
      MigrationSource source, MigrationOptions wanted, String version, SchemaCatalog catalog) {
    try (EmbeddedDatabase scratch = EmbeddedDatabase.start()) {
      DataSource db =
          DataSources.unpooled(
              DatabaseUrl.parse("embedded PostgreSQL URL", scratch.url()),
              Duration.ofSeconds(10),
              Duration.ZERO);
      if (version != null) {
        new Migrator(
                db,
                new MigrationOptions(
                    wanted.schema(), wanted.table(), version, wanted.baselineOnMigrate()))
            .migrate(source);
      }
      return read(catalog, db);
    } catch (IOException e) {
      throw new UncheckedIOException("The embedded PostgreSQL did not start", e);
    }
  }

  private static SchemaSnapshot read(SchemaCatalog catalog, DataSource db) {
    try (Connection c = db.getConnection()) {
      return catalog.read(c);
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  private void print(String schema, String version, SchemaDiff diff) {
    if (options.json()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("command", "diff");
      body.put("schema", schema);
      body.put("schemaVersion", version);
      body.put("inSync", diff.inSync());
      body.put("added", diff.added());
      body.put("removed", diff.removed());
      body.put("changed", diff.changed());
      try {
        context.out().println(new ObjectMapper().writeValueAsString(body));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a map of strings and lists always serializes", e);
      }
    } else {
      String produced =
          "what the migrations up to version " + (version == null ? "none" : version) + " produce";
      if (diff.inSync()) {
        context.out().println("In sync: schema " + schema + " is " + produced + ".");
      } else {
        context.out().println("Schema " + schema + " differs from " + produced + ":");
        diff.removed().forEach(n -> context.out().println("  removed  " + n));
        diff.changed().forEach(n -> context.out().println("  changed  " + n));
        diff.added().forEach(n -> context.out().println("  added    " + n));
      }
    }
    context.out().flush();
  }
}
