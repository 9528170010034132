package io.dbbinding.cli;

import io.dbbinding.config.WebhookSettings;
import io.dbbinding.webhook.ServingCheck;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbbinding webhook-ready}: the chart's post-install and post-upgrade hook. An operator
 * replica is ready once the caBundle trusts its certificate, but the API server reaches it through
 * the webhook's Service only once the Service's endpoints have reached kube-proxy, a moment later.
 * This waits until the webhook answers there, twice a second apart, so that {@code helm install
 * --wait} returns only when a pod created next gets its gate.
 */
@Command(
    name = "webhook-ready",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Wait until the gate-injection webhook of WEBHOOK_CONFIGURATION answers an AdmissionReview",
      "through its Service, trusting only its caBundle, as the API server calls it (the chart's",
      "post-install and post-upgrade hook). Exit codes: 0 it answers, 1 timed out (the last line",
      "says why), 2 bad usage or settings."
    })
final class WebhookReadyCommand implements Callable<Integer> {
  /** Answers in a row, a second apart: the Service's path holds, not one lucky connection. */
  private static final int ANSWERS = 2;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final CliContext context;

  @Option(
      names = "--timeout",
      defaultValue = "2m",
      paramLabel = "DURATION",
      description = "Give up after this long, such as 90s or 5m (default: ${DEFAULT-VALUE}).")
  String timeout;

  WebhookReadyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    Duration limit = WaitCommand.duration("--timeout", timeout);
    String name = WebhookSettings.load(context.settingSource()).configuration();
    long deadline = System.nanoTime() + limit.toNanos();
    context.out().println("Waiting up to " + timeout + " for the webhook of " + name);
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      int answers = 0;
      Optional<String> last = Optional.empty();
      while (true) {
        Optional<String> problem = problem(client, name);
        if (problem.isEmpty()) {
          answers++;
          if (answers >= ANSWERS) {
            context.out().println("The webhook of " + name + " answers through its Service");
            return ExitCode.OK;
          }
        } else {
          answers = 0;
          if (!problem.equals(last)) {
            context.out().println(problem.get() + "; waiting");
          }
        }
        last = problem;
        if (System.nanoTime() > deadline) {
          context
              .out()
              .println(
                  "Gave up after "
                      + timeout
                      + ": "
                      + last.orElse("the webhook answered only once in a row"));
          return ExitCode.FAILED;
        }
        Thread.sleep(1_000);
      }
    }
  }

  private static Optional<String> problem(KubernetesClient client, String name) {
    MutatingWebhookConfiguration configuration;
    try {
      configuration =
          client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
    } catch (KubernetesClientException e) {
      return Optional.of(
          "MutatingWebhookConfiguration " + name + " unreadable (HTTP " + e.getCode() + ")");
    }
    return ServingCheck.problem(name, configuration, CALL_TIMEOUT);
  }
}
