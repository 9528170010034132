package io.dbbinding.chart;

import static io.dbbinding.chart.Manifests.all;
import static io.dbbinding.chart.Manifests.named;
import static io.dbbinding.chart.Manifests.one;
import static io.dbbinding.chart.Manifests.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.dbbinding.testing.RenderableChart;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart's gate-injection webhook, rendered by a real Helm. */
class ChartWebhookTest {
  private static List<HasMetadata> template(Map<String, Object> values) {
    var t =
        new Helm(RenderableChart.path())
            .template()
            .withName("dbb")
            .withNamespace("dbbinding-system");
    values.forEach(t::set);
    return parse(t.call());
  }

  private static Container operator(List<HasMetadata> objects) {
    return one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /** Rules as "group|resources|resourceNames|verbs" lines. */
  private static String rules(List<PolicyRule> rules) {
    return rules.stream()
        .map(
            r ->
                String.join(",", r.getApiGroups())
                    + "|"
                    + String.join(",", r.getResources())
                    + "|"
                    + String.join(",", r.getResourceNames())
                    + "|"
                    + String.join(",", r.getVerbs()))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void byDefaultTheWebhookIsInstalledWithItsServiceSecretAndLeastPrivilege() {
    List<HasMetadata> objects = template(Map.of());
    MutatingWebhookConfiguration config = one(objects, MutatingWebhookConfiguration.class);
    assertThat(config.getMetadata().getName()).isEqualTo("dbb-dbbinding");
    assertThat(config.getMetadata().getAnnotations()).isNullOrEmpty();
    MutatingWebhook hook = config.getWebhooks().get(0);
    assertThat(config.getWebhooks()).hasSize(1);
    assertThat(hook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(hook.getTimeoutSeconds()).isEqualTo(2);
    assertThat(hook.getSideEffects()).isEqualTo("None");
    assertThat(hook.getReinvocationPolicy()).isEqualTo("Never");
    assertThat(hook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(hook.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getOperations()).containsExactly("CREATE");
              assertThat(r.getApiGroups()).containsExactly("");
              assertThat(r.getResources()).containsExactly("pods");
            });
    assertThat(hook.getObjectSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo("dbbinding.io/binding");
              assertThat(e.getOperator()).isEqualTo("Exists");
            });
    assertThat(hook.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("dbbinding.io/inject-gates", "enabled"));
    assertThat(hook.getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
    // The leader writes the caBundle; a chart that rendered one would reset it on every upgrade.
    assertThat(hook.getClientConfig().getCaBundle()).isNull();
    var svcRef = hook.getClientConfig().getService();
    assertThat(svcRef.getName()).isEqualTo("dbb-dbbinding-webhook");
    assertThat(svcRef.getNamespace()).isEqualTo("dbbinding-system");
    assertThat(svcRef.getPath()).isEqualTo("/mutate-pods");

    Service svc = named(objects, Service.class, "dbb-dbbinding-webhook");
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(svcRef.getPort());
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
            });
    Container c = operator(objects);
    assertThat(c.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("webhook");
              assertThat(p.getContainerPort()).isEqualTo(9443);
            });
    assertThat(env(c))
        .containsEntry("WEBHOOK_ENABLED", "true")
        .containsEntry("WEBHOOK_PORT", "9443")
        .containsEntry("WEBHOOK_SERVICE", "dbb-dbbinding-webhook")
        .containsEntry("WEBHOOK_SECRET", "dbb-dbbinding-webhook-tls")
        .containsEntry("WEBHOOK_CONFIGURATION", "dbb-dbbinding")
        .doesNotContainKey("WEBHOOK_CERT_DIR");

    Secret secret = named(objects, Secret.class, "dbb-dbbinding-webhook-tls");
    assertThat(secret.getData()).isNullOrEmpty();

    assertThat(rules(named(objects, ClusterRole.class, "dbb-dbbinding-webhook").getRules()))
        .isEqualTo(
            String.join(
                "\n",
                "admissionregistration.k8s.io|mutatingwebhookconfigurations|dbb-dbbinding|get,patch",
                "|namespaces||list"));
    assertThat(rules(named(objects, Role.class, "dbb-dbbinding-webhook").getRules()))
        .isEqualTo("|secrets|dbb-dbbinding-webhook-tls|get,list,watch,update");
    assertThat(named(objects, Role.class, "dbb-dbbinding-webhook").getMetadata().getNamespace())
        .isEqualTo("dbbinding-system");
  }

  @Test
  void withAListOfNamespacesOnlyThoseAreSelectedAndReadable() {
    List<HasMetadata> objects =
        template(Map.of("watchNamespaces[0]", "shop", "watchNamespaces[1]", "billing"));
    MutatingWebhook hook = one(objects, MutatingWebhookConfiguration.class).getWebhooks().get(0);
    LabelSelectorRequirement names =
        hook.getNamespaceSelector().getMatchExpressions().stream().findFirst().orElseThrow();
    assertThat(names.getKey()).isEqualTo("kubernetes.io/metadata.name");
    assertThat(names.getOperator()).isEqualTo("In");
    assertThat(names.getValues()).containsExactly("shop", "billing");
    assertThat(rules(named(objects, ClusterRole.class, "dbb-dbbinding-webhook").getRules()))
        .endsWith("|namespaces|shop,billing|get");
  }

  /** Rendered with its hooks (helm-java's template leaves them out). */
  private static List<HasMetadata> withHooks(Map<String, Object> values) {
    var t =
        new Helm(RenderableChart.withHooksRendered())
            .template()
            .withName("dbb")
            .withNamespace("dbbinding-system");
    values.forEach(t::set);
    return parse(t.call());
  }

  @Test
  void aPostInstallHookWaitsUntilTheWebhookAnswersThroughItsService() {
    List<HasMetadata> objects = withHooks(Map.of());
    Job job = named(objects, Job.class, "dbb-dbbinding-webhook-ready");
    String hook = RenderableChart.HOOK_PREFIX;
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(hook, "post-install,post-upgrade")
        .containsEntry(hook + "-delete-policy", "before-hook-creation,hook-succeeded");
    assertThat(all(template(Map.of()), Job.class)).as("a hook, not a resource").isEmpty();
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("dbb-dbbinding");
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    Container c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("webhook-ready", "--timeout", "2m");
    assertThat(env(c)).containsEntry("WEBHOOK_CONFIGURATION", "dbb-dbbinding");
    assertThat(c.getImage()).isEqualTo(operator(objects).getImage());
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    // The operator's ServiceAccount may read that configuration (the hook's one API call).
    assertThat(rules(named(objects, ClusterRole.class, "dbb-dbbinding-webhook").getRules()))
        .contains("admissionregistration.k8s.io|mutatingwebhookconfigurations|dbb-dbbinding|get");

    assertThat(all(withHooks(Map.of("webhook.readyTimeout", "")), Job.class)).isEmpty();
    assertThat(all(withHooks(Map.of("webhook.enabled", false)), Job.class)).isEmpty();
  }

  @Test
  void disabledLeavesAllOfItOut() {
    List<HasMetadata> objects = template(Map.of("webhook.enabled", false));
    assertThat(all(objects, MutatingWebhookConfiguration.class)).isEmpty();
    assertThat(all(objects, Secret.class)).isEmpty();
    assertThat(objects)
        .extracting(o -> o.getMetadata().getName())
        .noneMatch(n -> n.contains("webhook"));
    Container c = operator(objects);
    assertThat(env(c)).containsEntry("WEBHOOK_ENABLED", "false").doesNotContainKey("WEBHOOK_PORT");
    assertThat(c.getPorts()).extracting(p -> p.getName()).containsExactly("http");
  }

  @Test
  void withCertManagerItsCertificateIsServedAndTheOperatorWritesNothing() {
    List<HasMetadata> objects = template(Map.of("webhook.certManager.enabled", true));
    MutatingWebhookConfiguration config = one(objects, MutatingWebhookConfiguration.class);
    assertThat(config.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", "dbbinding-system/dbb-dbbinding-webhook");
    GenericKubernetesResource cert =
        objects.stream()
            .filter(o -> o.getKind().equals("Certificate"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(cert.getApiVersion()).isEqualTo("cert-manager.io/v1");
    assertThat(cert.getMetadata().getName()).isEqualTo("dbb-dbbinding-webhook");
    assertThat((String) cert.get("spec", "secretName")).isEqualTo("dbb-dbbinding-webhook-cert");
    assertThat(cert.<List<String>>get("spec", "dnsNames"))
        .containsExactly(
            "dbb-dbbinding-webhook.dbbinding-system.svc",
            "dbb-dbbinding-webhook.dbbinding-system.svc.cluster.local");
    assertThat((String) cert.get("spec", "issuerRef", "name")).isEqualTo("dbb-dbbinding-webhook");
    assertThat(objects)
        .anySatisfy(
            o -> {
              assertThat(o.getKind()).isEqualTo("Issuer");
              assertThat(((GenericKubernetesResource) o).<Object>get("spec", "selfSigned"))
                  .isNotNull();
            });

    // No Secret of its own, and no right to write one or the webhook configuration: only to read
    // the configuration, whose caBundle must trust the certificate before the replica is ready.
    assertThat(all(objects, Secret.class)).isEmpty();
    assertThat(all(objects, Role.class))
        .extracting(r -> r.getMetadata().getName())
        .doesNotContain("dbb-dbbinding-webhook");
    assertThat(rules(named(objects, ClusterRole.class, "dbb-dbbinding-webhook").getRules()))
        .isEqualTo(
            String.join(
                "\n",
                "admissionregistration.k8s.io|mutatingwebhookconfigurations|dbb-dbbinding|get",
                "|namespaces||list"));

    var pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(env(c))
        .containsEntry("WEBHOOK_CERT_DIR", "/etc/dbbinding/webhook-tls")
        .doesNotContainKey("WEBHOOK_SECRET");
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/dbbinding/webhook-tls");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> assertThat(v.getSecret().getSecretName()).isEqualTo("dbb-dbbinding-webhook-cert"));

    // An issuer of one's own instead of the self-signed one.
    List<HasMetadata> own =
        template(
            Map.of(
                "webhook.certManager.enabled", true,
                "webhook.certManager.issuerRef.name", "corp-ca",
                "webhook.certManager.issuerRef.kind", "ClusterIssuer"));
    assertThat(own).noneMatch(o -> o.getKind().equals("Issuer"));
    GenericKubernetesResource ownCert =
        own.stream()
            .filter(o -> o.getKind().equals("Certificate"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat((String) ownCert.get("spec", "issuerRef", "kind")).isEqualTo("ClusterIssuer");
    assertThat((String) ownCert.get("spec", "issuerRef", "name")).isEqualTo("corp-ca");
  }

  @Test
  void theSchemaRefusesBadWebhookValues() {
    for (Map<String, Object> bad :
        List.<Map<String, Object>>of(
            Map.of("webhook.port", 443),
            Map.of("webhook.timeoutSeconds", 0),
            Map.of("webhook.certManager.issuerRef.kind", "Vault"),
            Map.of("webhook.enable", true))) {
      assertThatThrownBy(() -> template(bad))
          .as(bad.toString())
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
  }
}
