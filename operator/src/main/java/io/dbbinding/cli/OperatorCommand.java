package io.dbbinding.cli;

import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.Settings;
import io.dbbinding.config.WebhookSettings;
import io.dbbinding.logging.Logging;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code dbbinding operator}: reconcile DatabaseBindings in the cluster. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Reconcile DatabaseBinding resources: apply their migrations, publish their status and",
      "Events, and set the dbbinding.io/ready readiness gate of their pods.",
      "Settings: WATCH_NAMESPACES (default all), WATCH_LABEL_SELECTOR (Secrets and ConfigMaps",
      "to cache; default all), BINDING_LABEL_SELECTOR (the bindings to reconcile; default all),",
      "LEADER_ELECTION (default true in a cluster or with POD_NAMESPACE,",
      "else false), POD_NAMESPACE, POD_NAME,",
      "LEADER_ELECTION_LEASE_NAME, PORT (health and metrics), DB_CONNECT_TIMEOUT_MS,",
      "WEBHOOK_ENABLED (default false; the chart sets it), WEBHOOK_PORT (default 9443),",
      "WEBHOOK_SERVICE, WEBHOOK_SECRET, WEBHOOK_CONFIGURATION, WEBHOOK_CERT_HOSTS,",
      "WEBHOOK_CERT_DIR (serve cert-manager's tls.crt and tls.key from there).",
      "The cluster comes from the in-cluster service account or ~/.kube/config."
    })
final class OperatorCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(OperatorCommand.class);

  private final CliContext context;

  OperatorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = context.settings();
    OperatorSettings op = OperatorSettings.load(context.settingSource(), settings);
    WebhookSettings webhook = WebhookSettings.load(context.settingSource());
    OperatorOptions.requireWebhookNamespace(op, webhook);
    Logging.configure(settings.logLevel(), settings.logFormat());
    if (OperatorSettings.leaderElectionOffByDefault(context.settingSource())) {
      log.atInfo()
          .setMessage("leader.election_off")
          .addKeyValue(
              "reason",
              "outside a cluster (no KUBERNETES_SERVICE_HOST) and no POD_NAMESPACE; set"
                  + " LEADER_ELECTION=true and POD_NAMESPACE to elect a leader")
          .log();
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorRuntime runtime;
    try {
      runtime =
          OperatorRuntime.start(OperatorOptions.of(client, settings, op).withWebhook(webhook));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    log.atInfo()
        .setMessage("application.startup")
        .addKeyValue("role", "operator")
        .addKeyValue("version", settings.version())
        .addKeyValue("port", runtime.port())
        .addKeyValue(
            "namespaces",
            op.watchNamespaces().isEmpty() ? "all" : String.join(",", op.watchNamespaces()))
        .addKeyValue("leader_election", op.leaderElection())
        .addKeyValue("webhook_port", runtime.webhookPort().map(String::valueOf).orElse("off"))
        .addKeyValue("identity", op.identity())
        .addKeyValue("api_server", client.getMasterUrl().toString())
        .addKeyValue("startup_ms", Startup.millisSinceProcessStart())
        .log();
    return new ProcessLifecycle()
        .serveUntilStopped(
            () -> {
              log.atInfo().setMessage("application.shutdown").log();
              runtime.close();
              client.close();
            });
  }
}
