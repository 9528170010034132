package io.dbbinding.chart;

import static io.dbbinding.chart.Manifests.all;
import static io.dbbinding.chart.Manifests.named;
import static io.dbbinding.chart.Manifests.one;
import static io.dbbinding.chart.Manifests.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.dbbinding.testing.RenderableChart;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart through a real Helm (helm-java): lint, templates, schema. */
class ChartTest {
  static final Path CHART = Path.of("..", "helm", "dbbinding");

  private static List<HasMetadata> template(Map<String, Object> values) {
    return template("dbb", "dbbinding-system", values);
  }

  private static List<HasMetadata> template(
      String release, String namespace, Map<String, Object> values) {
    var t = new Helm(RenderableChart.path()).template().withName(release).withNamespace(namespace);
    values.forEach(t::set);
    return parse(t.call());
  }

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static String rules(List<PolicyRule> rules) {
    return rules.stream()
        .map(
            r ->
                String.join(",", r.getApiGroups())
                    + "|"
                    + String.join(",", r.getResources())
                    + "|"
                    + String.join(",", r.getVerbs()))
        .collect(Collectors.joining("\n"));
  }

  private static final String WATCH_RULES =
      String.join(
          "\n",
          "dbbinding.io|databasebindings|get,list,watch",
          "dbbinding.io|databasebindings/status|get,patch,update",
          "|secrets,configmaps,pods|get,list,watch",
          "|pods/status|patch",
          "apps|replicasets|list",
          "|events|create,patch");

  @Test
  void theChartLintsCleanly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.getMessages())
        .allSatisfy(m -> assertThat(m).doesNotContain("[ERROR]").doesNotContain("[WARNING]"));
    assertThat(result.isFailed()).isFalse();
  }

  @Test
  void defaultsWatchAllNamespacesWithOneLeastPrivilegeClusterRole() {
    List<HasMetadata> objects = template(Map.of());
    ClusterRole role = named(objects, ClusterRole.class, "dbb-dbbinding");
    assertThat(rules(role.getRules())).isEqualTo(WATCH_RULES);
    ClusterRoleBinding binding = named(objects, ClusterRoleBinding.class, "dbb-dbbinding");
    assertThat(binding.getSubjects().get(0).getName()).isEqualTo("dbb-dbbinding");
    assertThat(binding.getSubjects().get(0).getNamespace()).isEqualTo("dbbinding-system");

    Role lease = named(objects, Role.class, "dbb-dbbinding-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("dbbinding-system");
    assertThat(rules(lease.getRules()))
        .isEqualTo("coordination.k8s.io|leases|get,create,update,patch");
    assertThat(
            named(objects, RoleBinding.class, "dbb-dbbinding-leader-election")
                .getRoleRef()
                .getName())
        .isEqualTo("dbb-dbbinding-leader-election");

    Deployment d = one(objects, Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/dbbinding/dbbinding:0.1.0");
    assertThat(c.getArgs()).containsExactly("operator");
    assertThat(env(c))
        .containsEntry("WATCH_NAMESPACES", "")
        .containsEntry("WATCH_LABEL_SELECTOR", "")
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("PORT", "8123")
        .containsEntry("LOG_FORMAT", "json")
        .containsEntry(
            "JAVA_OPTS",
            "-XX:+UseSerialGC -XX:MaxRAMPercentage=65 -XX:MinRAMPercentage=65"
                + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseStringDeduplication"
                + " -XX:TieredStopAtLevel=1"
                + " -XX:TrimNativeHeapInterval=1000 -XX:+ExitOnOutOfMemoryError")
        // The JVM announces these in a plain-text line, which JSON log pipelines cannot parse.
        .doesNotContainKeys("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("POD_NAMESPACE");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                  .isEqualTo("metadata.namespace");
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(c.getResources().getLimits()).containsKey("memory");

    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getServiceAccountName()).isEqualTo("dbb-dbbinding");

    Service metrics = named(objects, Service.class, "dbb-dbbinding-metrics");
    assertThat(metrics.getSpec().getPorts().get(0).getPort()).isEqualTo(8123);
  }

  @Test
  void aListOfNamespacesGetsARoleInEachAndNoClusterRole() {
    List<HasMetadata> objects =
        template(
            Map.of(
                "watchNamespaces[0]", "shop",
                "watchNamespaces[1]", "billing",
                "replicaCount", 2,
                "watchLabelSelector", "dbbinding.io/watch=true"));
    // No ClusterRole to watch with; the webhook's own has no rule on bindings (ChartWebhookTest).
    assertThat(all(objects, ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("dbb-dbbinding-webhook");
    assertThat(all(objects, ClusterRoleBinding.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("dbb-dbbinding-webhook");
    List<Role> roles =
        all(objects, Role.class).stream()
            .filter(r -> !r.getMetadata().getName().equals("dbb-dbbinding-webhook"))
            .toList();
    assertThat(roles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "billing", "dbbinding-system", "dbbinding-system");
    assertThat(
            roles.stream().filter(r -> !r.getMetadata().getNamespace().equals("dbbinding-system")))
        .allSatisfy(r -> assertThat(rules(r.getRules())).isEqualTo(WATCH_RULES));
    // Outside the watched namespaces, only a get of its own replicas' pods: whether one that held
    // a migration lock is gone (docs/migrations.md, "When a migrator dies holding the lock").
    Role owners = named(objects, Role.class, "dbb-dbbinding-lock-owners");
    assertThat(owners.getMetadata().getNamespace()).isEqualTo("dbbinding-system");
    assertThat(owners.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources()).containsExactly("pods");
              assertThat(r.getVerbs()).containsExactly("get");
            });
    assertThat(all(objects, RoleBinding.class)).hasSize(5);
    Deployment d = one(objects, Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(d.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("WATCH_NAMESPACES", "shop,billing")
        .containsEntry("WATCH_LABEL_SELECTOR", "dbbinding.io/watch=true");
  }

  /**
   * Scale-out (docs/operations.md, "More bindings than one operator carries"): two releases, each
   * with its own binding selector and Lease, even in one namespace and each with its webhook, share
   * no object, cluster-wide ones included; the CRD is Helm's to install once.
   */
  @Test
  void twoReleasesWithDisjointBindingSelectorsShareNoObject() {
    assertThat(env(container(template(Map.of())))).containsEntry("BINDING_LABEL_SELECTOR", "");
    List<HasMetadata> a =
        template(
            "dbbinding",
            "dbbinding-system",
            Map.of("bindingLabelSelector", "dbbinding.io/shard!=b"));
    List<HasMetadata> b =
        template(
            "dbbinding-b",
            "dbbinding-system",
            Map.of(
                "bindingLabelSelector", "dbbinding.io/shard=b",
                "leaderElection.leaseName", "dbbinding-b"));
    assertThat(env(container(a)))
        .containsEntry("BINDING_LABEL_SELECTOR", "dbbinding.io/shard!=b")
        .containsEntry("LEADER_ELECTION_LEASE_NAME", "dbbinding-operator");
    assertThat(env(container(b)))
        .containsEntry("BINDING_LABEL_SELECTOR", "dbbinding.io/shard=b")
        .containsEntry("LEADER_ELECTION_LEASE_NAME", "dbbinding-b");
    assertThat(ids(a)).contains("MutatingWebhookConfiguration//dbbinding");
    assertThat(ids(b)).contains("MutatingWebhookConfiguration//dbbinding-b");
    assertThat(ids(a)).doesNotContainAnyElementsOf(ids(b));
  }

  private static Container container(List<HasMetadata> objects) {
    return one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** Each object as kind/namespace/name: what two of them may not share in one cluster. */
  private static List<String> ids(List<HasMetadata> objects) {
    return objects.stream()
        .map(
            o ->
                o.getKind()
                    + "/"
                    + Objects.requireNonNullElse(o.getMetadata().getNamespace(), "")
                    + "/"
                    + o.getMetadata().getName())
        .toList();
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseRole() {
    List<HasMetadata> objects =
        template(Map.of("leaderElection.enabled", false, "metrics.service.enabled", false));
    assertThat(all(objects, Role.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("dbb-dbbinding-webhook");
    assertThat(all(objects, Service.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("dbb-dbbinding-webhook");
  }

  @Test
  void aServiceMonitorScrapesTheMetricsServiceWhenAsked() {
    assertThat(template(Map.of()))
        .noneMatch(o -> o.getKind().equals("ServiceMonitor"))
        .noneMatch(o -> o instanceof PodDisruptionBudget);

    List<HasMetadata> objects =
        template(
            Map.of(
                "metrics.serviceMonitor.enabled", true,
                "metrics.serviceMonitor.interval", "15s",
                "metrics.serviceMonitor.labels.release", "kube-prometheus-stack"));
    GenericKubernetesResource monitor =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Service metrics = named(objects, Service.class, "dbb-dbbinding-metrics");
    Map<String, Object> endpoint = monitor.get("spec", "endpoints", 0);
    assertThat(endpoint)
        .containsEntry("port", metrics.getSpec().getPorts().get(0).getName())
        .containsEntry("path", "/metrics")
        .containsEntry("interval", "15s");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(metrics.getMetadata().getLabels()).containsAllEntriesOf(selector);

    assertThatThrownBy(
            () ->
                template(
                    Map.of(
                        "metrics.serviceMonitor.enabled", true,
                        "metrics.service.enabled", false)))
        .hasMessageContaining("metrics.serviceMonitor.enabled needs metrics.service.enabled");
  }

  @Test
  void aDisruptionBudgetKeepsAReplicaThroughDrains() {
    List<HasMetadata> objects =
        template(Map.of("podDisruptionBudget.enabled", true, "replicaCount", 2));
    PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    Deployment d = one(objects, Deployment.class);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void extraEnvAndTopologySpreadReachThePod() {
    Deployment d =
        one(
            template(
                Map.of(
                    "extraEnv[0].name", "HTTPS_PROXY",
                    "extraEnv[0].value", "http://proxy:3128",
                    "topologySpreadConstraints[0].maxSkew", 1,
                    "topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname",
                    "topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway")),
            Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(env(pod.getContainers().get(0)))
        .containsEntry("HTTPS_PROXY", "http://proxy:3128")
        .containsEntry("LEADER_ELECTION", "true");
    assertThat(pod.getTopologySpreadConstraints())
        .singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
  }

  @Test
  void theSchemaRefusesBadValuesWithClearMessages() {
    assertRefused(Map.of("replicaCount", 0), "replicaCount");
    assertRefused(Map.of("logLevel", "LOUD"), "logLevel");
    assertRefused(Map.of("watchNamespaces[0]", "Not_A_Namespace"), "watchNamespaces");
    assertRefused(
        Map.of("securityContext.readOnlyRootFilesystem", false), "readOnlyRootFilesystem");
    assertRefused(Map.of("replicas", 3), "replicas");
    assertRefused(Map.of("port", 80), "port");
    assertRefused(Map.of("podDisruptionBudget.maxUnavailable", 0), "maxUnavailable");
    assertRefused(Map.of("metrics.serviceMonitor.interval", "often"), "interval");
    assertRefused(Map.of("extraEnv[0].value", "no name"), "name");
  }

  private static void assertRefused(Map<String, Object> values, String named) {
    assertThatThrownBy(() -> template(values))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  @Test
  void theChartsCrdIsTheCommittedOne() throws IOException {
    String file = "databasebindings.dbbinding.io-v1.yml";
    assertThat(Files.readString(CHART.resolve("crds").resolve(file)))
        .as("helm/dbbinding/crds/%s is out of date: copy crds/%s there", file, file)
        .isEqualTo(Files.readString(Path.of("..", "crds", file)));
  }

  @Test
  void theApplicationChartExampleAddsTheSidecarProbesAndGate() {
    Path app = Path.of("..", "examples", "helm-app");
    assertThat(new Helm(app).lint().strict().call().isFailed()).isFalse();
    List<HasMetadata> objects = parse(new Helm(app).template().withName("orders").call());
    Deployment d = one(objects, Deployment.class);
    var pod = d.getSpec().getTemplate();
    // Its Service selects the application's pods (the gate matters only behind a Service) and
    // sends traffic to the app container's port.
    Service svc = one(objects, Service.class);
    assertThat(svc.getSpec().getSelector())
        .isNotEmpty()
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    assertThat(pod.getSpec().getContainers().get(0).getPorts())
        .anySatisfy(p -> assertThat(p.getName()).isEqualTo("http"));
    assertThat(pod.getMetadata().getLabels()).containsEntry("dbbinding.io/binding", "orders");
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("dbbinding.io/required-schema-version", "3");
    assertThat(pod.getSpec().getReadinessGates())
        .extracting(g -> g.getConditionType())
        .containsExactly("dbbinding.io/ready");
    Container sidecar =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("dbbinding"))
            .findFirst()
            .orElseThrow();
    assertThat(sidecar.getArgs()).containsExactly("sidecar");
    assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(sidecar.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(sidecar.getEnv().get(0).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("orders-db");
  }
}
