package io.dbbinding.cli;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.LogFormat;
import io.dbbinding.config.Settings;
import io.dbbinding.db.DataSources;
import io.dbbinding.health.Sidecar;
import io.dbbinding.logging.Logging;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbbinding dev}: everything on one machine with nothing installed: an embedded PostgreSQL
 * 18 and the sidecar against it. Ctrl-C stops both and removes the data directory.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Start an embedded PostgreSQL 18 (no Docker, no server installed), apply the migrations",
      "in --location, and serve the sidecar against it on PORT. DATABASE_URL is ignored.",
      "Ctrl-C stops both and leaves nothing behind."
    })
final class DevCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = "--location",
      paramLabel = "DIR",
      defaultValue = "examples/migrations",
      description =
          "Migrations to apply before serving (default: ${DEFAULT-VALUE}; skipped if absent).")
  Path location;

  DevCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    // A person reads dev's lines in a terminal: text, unless LOG_FORMAT says otherwise.
    Settings configured = context.settings(LogFormat.TEXT);
    Logging.configure(configured.logLevel(), configured.logFormat());
    if (!EmbeddedDatabase.isAvailable()) {
      context
          .err()
          .println(
              "dbbinding dev: this build has no embedded PostgreSQL (the image leaves it out);"
                  + " run ./dbbinding dev from a checkout, or set DATABASE_URL and run sidecar");
      return ExitCode.USAGE;
    }
    Optional<String> platform = EmbeddedPlatform.problemHere();
    if (platform.isPresent()) {
      context.err().println("dbbinding dev: " + platform.get());
      return ExitCode.USAGE;
    }
    EmbeddedDatabase postgres = EmbeddedDatabase.start();
    Sidecar sidecar;
    try {
      DatabaseUrl url = DatabaseUrl.parse("embedded PostgreSQL URL", postgres.url());
      Settings settings = configured.withDatabaseUrl(url);
      context.out().println("dbbinding dev: PostgreSQL 18 at " + url.masked());
      migrate(url);
      sidecar = Sidecar.start(settings, settings.port());
      context
          .out()
          .println(
              "dbbinding dev: serving http://localhost:"
                  + sidecar.port()
                  + "/health/ready  (Ctrl-C to stop)");
      SidecarCommand.logStartup("dev", settings, sidecar);
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    return new ProcessLifecycle()
        .serveUntilStopped(
            () -> {
              SidecarCommand.stop(sidecar);
              postgres.close();
            });
  }

  private void migrate(DatabaseUrl url) {
    Path folder = context.workingDirectory().resolve(location).normalize();
    if (!Files.isDirectory(folder)) {
      context.out().println("dbbinding dev: no migrations at " + folder + "; skipping");
      return;
    }
    Migrator migrator =
        new Migrator(
            DataSources.unpooled(url, Duration.ofSeconds(10), Duration.ZERO),
            MigrationOptions.defaults());
    MigrationResult result = migrator.migrate(MigrationSource.folders(List.of(folder)));
    context
        .out()
        .println(
            "dbbinding dev: applied "
                + result.applied().size()
                + " migration(s) from "
                + folder
                + "; schema version "
                + result.schemaVersion());
  }
}
