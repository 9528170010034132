package io.dbbinding.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code helm install} of the chart onto a real API server. */
@Tag("integration")
class ChartInstallTest {
  @Test
  void installCreatesTheCrdTheDeploymentAndItsRbac() {
    String ns = TestKubernetes.newNamespace();
    Release release =
        new Helm(ChartTest.CHART)
            .install()
            .withName("dbb")
            .withNamespace(ns)
            .withKubeConfigContents(TestKubernetes.kubeconfig())
            .set("replicaCount", 2)
            .set("podDisruptionBudget.enabled", true)
            .set("extraEnv[0].name", "HTTPS_PROXY")
            .set("extraEnv[0].value", "http://proxy:3128")
            // No kubelet behind this API server: the webhook-ready hook's Job would never run.
            .set("webhook.readyTimeout", "")
            .call();
    assertThat(release.getStatus()).isEqualTo("deployed");
    try (KubernetesClient client = TestKubernetes.client()) {
      assertThat(crd(client)).isNotNull();
      Deployment d = client.apps().deployments().inNamespace(ns).withName("dbb-dbbinding").get();
      assertThat(d).isNotNull();
      assertThat(d.getSpec().getReplicas()).isEqualTo(2);
      assertThat(client.serviceAccounts().inNamespace(ns).withName("dbb-dbbinding").get())
          .isNotNull();
      ClusterRole role = client.rbac().clusterRoles().withName("dbb-dbbinding").get();
      assertThat(role.getRules()).isNotEmpty();
      assertThat(
              client.rbac().roles().inNamespace(ns).withName("dbb-dbbinding-leader-election").get())
          .isNotNull();
      assertThat(client.services().inNamespace(ns).withName("dbb-dbbinding-metrics").get())
          .isNotNull();
      // The webhook, with no manual certificate step: its configuration, Service and Secret.
      assertThat(
              client
                  .admissionRegistration()
                  .v1()
                  .mutatingWebhookConfigurations()
                  .withName("dbb-dbbinding")
                  .get()
                  .getWebhooks())
          .singleElement()
          .satisfies(w -> assertThat(w.getFailurePolicy()).isEqualTo("Ignore"));
      assertThat(client.services().inNamespace(ns).withName("dbb-dbbinding-webhook").get())
          .isNotNull();
      assertThat(client.secrets().inNamespace(ns).withName("dbb-dbbinding-webhook-tls").get())
          .isNotNull();
      assertThat(
              client
                  .policy()
                  .v1()
                  .podDisruptionBudget()
                  .inNamespace(ns)
                  .withName("dbb-dbbinding")
                  .get())
          .isNotNull();
    } finally {
      Helm.uninstall("dbb")
          .withNamespace(ns)
          .withKubeConfigContents(TestKubernetes.kubeconfig())
          .call();
    }
    try (KubernetesClient client = TestKubernetes.client()) {
      Eventually.until(
          "the Deployment to be gone",
          Duration.ofSeconds(30),
          () ->
              client.apps().deployments().inNamespace(ns).withName("dbb-dbbinding").get() == null);
      assertThat(
              client
                  .admissionRegistration()
                  .v1()
                  .mutatingWebhookConfigurations()
                  .withName("dbb-dbbinding")
                  .get())
          .isNull();
      // Helm never deletes what it installed from crds/: bindings outlive an uninstall.
      assertThat(crd(client)).isNotNull();
    }
  }

  private static CustomResourceDefinition crd(KubernetesClient client) {
    return client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("databasebindings.dbbinding.io")
        .get();
  }
}
