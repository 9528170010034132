package io.dbbinding.cli;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.Settings;
import io.dbbinding.health.Sidecar;
import io.dbbinding.logging.Logging;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code dbbinding sidecar}: the health endpoints beside an application. */
@Command(
    name = "sidecar",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Serve /health, /health/db and /health/ready over a pooled PostgreSQL connection,",
      "for Kubernetes liveness and readiness probes.",
      "Settings come from the environment, then .env: DATABASE_URL (required), PORT,",
      "DB_POOL_SIZE, DB_CONNECT_TIMEOUT_MS, HEALTH_CACHE_TTL_MS, REQUIRED_SCHEMA_VERSION, ..."
    })
final class SidecarCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(SidecarCommand.class);

  private final CliContext context;

  SidecarCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = context.settings();
    settings.requireDatabaseUrl();
    Logging.configure(settings.logLevel(), settings.logFormat());
    Sidecar sidecar = Sidecar.start(settings, settings.port());
    logStartup("sidecar", settings, sidecar);
    return new ProcessLifecycle().serveUntilStopped(() -> stop(sidecar));
  }

  static void logStartup(String role, Settings settings, Sidecar sidecar) {
    DatabaseUrl url = settings.requireDatabaseUrl();
    log.atInfo()
        .setMessage("application.startup")
        .addKeyValue("role", role)
        .addKeyValue("app", settings.appName())
        .addKeyValue("version", settings.version())
        .addKeyValue("environment", settings.environment())
        .addKeyValue("port", sidecar.port())
        .addKeyValue("database", url.masked())
        .addKeyValue("provider", url.provider().id())
        .addKeyValue("startup_ms", Startup.millisSinceProcessStart())
        .log();
  }

  static void stop(Sidecar sidecar) {
    log.atInfo().setMessage("application.shutdown").log();
    sidecar.close();
  }
}
