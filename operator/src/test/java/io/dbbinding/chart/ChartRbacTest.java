package io.dbbinding.chart;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.awaitEvent;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.dbbinding.binding.OperatorFixture;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.WebhookSettings;
import io.dbbinding.readiness.ReadinessGate;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart's least-privilege RBAC is enough for the operator to do all of its work, and no more:
 * the operator runs as the chart's ServiceAccount (impersonated on the real, RBAC-enforcing API
 * server) with a Role in the one namespace it watches.
 */
@Tag("integration")
class ChartRbacTest {
  @ParameterizedTest(name = "watching {0}")
  @ValueSource(strings = {"a list of namespaces (Roles)", "all namespaces (a ClusterRole)"})
  void theOperatorDoesItsWholeJobAsTheChartsServiceAccount(String mode) throws Exception {
    boolean listed = mode.startsWith("a list");
    String name = listed ? "rbac-ns" : "rbac-all";
    String release = TestKubernetes.newNamespace();
    String app = TestKubernetes.newNamespace();
    var install =
        new Helm(ChartTest.CHART)
            .install()
            .withName(name)
            .withNamespace(release)
            .withKubeConfigContents(TestKubernetes.kubeconfig())
            // No kubelet behind this API server: the webhook-ready hook's Job would never run.
            .set("webhook.readyTimeout", "");
    if (listed) {
      install.set("watchNamespaces[0]", app);
    }
    install.call();
    String account = "system:serviceaccount:" + release + ":" + name + "-dbbinding";
    Config asOperator =
        new ConfigBuilder(Config.fromKubeconfig(TestKubernetes.kubeconfig()))
            .withImpersonateUsername(account)
            .withImpersonateGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:" + release,
                "system:authenticated")
            .build();
    try (KubernetesClient admin = TestKubernetes.client();
        KubernetesClient operatorClient =
            new KubernetesClientBuilder().withConfig(asOperator).build()) {
      // Least privilege: nothing outside the watched namespaces, and never a write to a Secret.
      String other = TestKubernetes.newNamespace();
      if (listed) {
        assertThatThrownBy(() -> operatorClient.secrets().inNamespace(other).list())
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      }
      assertThatThrownBy(
              () ->
                  operatorClient
                      .secrets()
                      .inNamespace(app)
                      .resource(
                          new SecretBuilder().withNewMetadata().withName("x").endMetadata().build())
                      .create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      // A pod created while no replica serves the webhook (the chart's Service has no endpoint
      // on this bare API server): created without the gate, in a namespace that asked for it.
      admin
          .namespaces()
          .withName(app)
          .edit(
              n -> {
                n.getMetadata().getLabels().put("dbbinding.io/inject-gates", "enabled");
                return n;
              });
      assertThat(
              admin
                  .pods()
                  .inNamespace(app)
                  .resource(OperatorFixture.pod(app, "orders-ungated", "orders", false).build())
                  .create()
                  .getSpec()
                  .getReadinessGates())
          .isEmpty();
      OperatorRuntime operator =
          OperatorRuntime.start(
              OperatorFixture.options(
                      operatorClient,
                      new OperatorSettings(
                          listed ? Set.of(app) : Set.of(),
                          true,
                          "dbbinding-operator",
                          release,
                          "rbac-0",
                          Duration.ofSeconds(5)))
                  // What the chart's Deployment sets; the webhook port is any free one here.
                  .withWebhook(
                      new WebhookSettings(
                          true,
                          0,
                          name + "-dbbinding-webhook",
                          name + "-dbbinding-webhook-tls",
                          name + "-dbbinding",
                          List.of(),
                          Optional.empty()))
                  .withExitOnLostLease(false));
      try {
        secret(admin, app, "orders-db", TestDatabases.newDatabase());
        // A contract step: the operator lists the ReplicaSets of the binding before applying it.
        configMap(
            admin,
            app,
            "orders-migrations",
            Map.of(
                "V1__t.sql",
                "CREATE TABLE t (id int, old text);",
                "V2__contract.sql",
                "-- dbbinding:contract\nALTER TABLE t DROP COLUMN old;"));
        admin
            .pods()
            .inNamespace(app)
            .resource(OperatorFixture.pod(app, "orders-0", "orders", true).build())
            .create();
        create(admin, binding(app, "orders", "orders-db", "orders-migrations"));
        // The webhook's work: its certificates in its Secret, the caBundle of its configuration,
        // and counting the pod that missed the gate.
        String caBundle =
            Eventually.get(
                "the leader to fill its Secret and the caBundle",
                OperatorFixture.WAIT,
                () -> {
                  var secret =
                      admin
                          .secrets()
                          .inNamespace(release)
                          .withName(name + "-dbbinding-webhook-tls")
                          .get();
                  var config =
                      admin
                          .admissionRegistration()
                          .v1()
                          .mutatingWebhookConfigurations()
                          .withName(name + "-dbbinding")
                          .get();
                  String bundle = config.getWebhooks().get(0).getClientConfig().getCaBundle();
                  return secret.getData() != null
                          && secret.getData().containsKey("tls.crt")
                          && secret.getData().get("ca.crt").equals(bundle)
                      ? bundle
                      : null;
                });
        assertThat(new String(Base64.getDecoder().decode(caBundle), StandardCharsets.UTF_8))
            .startsWith("-----BEGIN CERTIFICATE-----");
        Eventually.until(
            "the missed gate to be counted",
            OperatorFixture.WAIT,
            // Watching all namespaces, it also finds those of other tests on this API server.
            () -> {
              double missed = operator.metrics().get("dbbinding.gates.missed").counter().count();
              return listed ? missed == 1.0 : missed >= 1.0;
            });
        // And nothing beyond its own: no other webhook configuration and (where it does not read
        // every Secret to watch all namespaces) no other Secret of its namespace.
        if (listed) {
          assertThatThrownBy(
                  () ->
                      operatorClient
                          .secrets()
                          .inNamespace(release)
                          .withName("sh.helm.release.v1." + name + ".v1")
                          .get())
              .isInstanceOfSatisfying(
                  KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
        assertThatThrownBy(
                () ->
                    operatorClient
                        .admissionRegistration()
                        .v1()
                        .mutatingWebhookConfigurations()
                        .withName("someone-elses")
                        .get())
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

        assertThat(
                awaitCondition(admin, app, "orders", "Ready", "True", "Ready")
                    .getStatus()
                    .getSchemaVersion())
            .isEqualTo("2");
        assertThat(awaitEvent(admin, app, "orders", "MigrationsApplied")).isPresent();
        Eventually.until(
            "the pod's readiness gate to pass",
            OperatorFixture.WAIT,
            () -> {
              Pod p = admin.pods().inNamespace(app).withName("orders-0").get();
              return ReadinessGate.current(p).map(c -> "True".equals(c.getStatus())).orElse(false);
            });
        Lease lease = admin.leases().inNamespace(release).withName("dbbinding-operator").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("rbac-0");
        // And it keeps it: a leader that cannot renew loses the Lease after 10 s.
        var acquired = lease.getSpec().getRenewTime();
        Eventually.until(
            "the leader to renew its Lease",
            Duration.ofSeconds(10),
            () -> {
              Lease now = admin.leases().inNamespace(release).withName("dbbinding-operator").get();
              return "rbac-0".equals(now.getSpec().getHolderIdentity())
                  && now.getSpec().getRenewTime().isAfter(acquired);
            });
      } finally {
        operator.close();
      }
      // A clean stop hands the Lease back, with the verbs the chart grants.
      assertThat(
              admin
                  .leases()
                  .inNamespace(release)
                  .withName("dbbinding-operator")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isNullOrEmpty();
    } finally {
      Helm.uninstall(name)
          .withNamespace(release)
          .withKubeConfigContents(TestKubernetes.kubeconfig())
          .call();
    }
  }
}
