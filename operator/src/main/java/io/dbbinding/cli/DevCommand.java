package io.dbbinding.cli;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.Settings;
import io.dbbinding.health.Sidecar;
import io.dbbinding.logging.Logging;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code dbbinding dev}: everything on one machine with nothing installed: an embedded PostgreSQL
 * 18 and the sidecar against it. Ctrl-C stops both and removes the data directory.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Start an embedded PostgreSQL 18 (no Docker, no server installed) and serve the sidecar",
      "against it on PORT. DATABASE_URL is ignored. Ctrl-C stops both and leaves nothing behind."
    })
final class DevCommand implements Callable<Integer> {
  private final CliContext context;

  DevCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Settings configured = context.settings();
    Logging.configure(configured.logLevel(), configured.logFormat());
    EmbeddedPostgres postgres = startPostgres();
    Sidecar sidecar;
    try {
      DatabaseUrl url =
          DatabaseUrl.parse(
              "embedded PostgreSQL URL",
              "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres");
      Settings settings = configured.withDatabaseUrl(url);
      context.out().println("dbbinding dev: PostgreSQL 18 at " + url.masked());
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

  private static EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder().start();
  }
}
