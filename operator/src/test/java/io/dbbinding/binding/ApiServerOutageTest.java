package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.HostAndPort;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away for the operator (every connection cut, new ones refused) and comes
 * back: the operator reconnects, its watches resume, and a binding created meanwhile becomes Ready.
 */
@Tag("integration")
class ApiServerOutageTest {
  @Test
  void theOperatorReconnectsAndCatchesUpWithBindingsCreatedMeanwhile() throws Exception {
    String ns = TestKubernetes.newNamespace();
    Config config = Config.fromKubeconfig(TestKubernetes.kubeconfig());
    URI api = URI.create(config.getMasterUrl());
    try (FaultProxy proxy = new FaultProxy(new HostAndPort(api.getHost(), api.getPort()));
        KubernetesClient direct = TestKubernetes.client()) {
      config.setMasterUrl("https://" + api.getHost() + ":" + proxy.port() + "/");
      try (KubernetesClient throughProxy =
          new KubernetesClientBuilder().withConfig(config).build()) {
        OperatorRuntime operator =
            OperatorRuntime.start(
                OperatorFixture.options(
                    throughProxy,
                    new OperatorSettings(
                        Set.of(ns), false, "l", "", "outage", Duration.ofSeconds(5))));
        try {
          secret(direct, ns, "db", TestDatabases.newDatabase());
          create(direct, binding(ns, "before", "db"));
          awaitCondition(direct, ns, "before", "Ready", "True", "Ready");

          assertThat(proxy.connectionsAccepted())
              .as("the operator talks through the proxy")
              .isPositive();
          proxy.cutAndRefuse();
          create(direct, binding(ns, "during", "db"));
          Thread.sleep(5_000);
          assertThat(OperatorFixture.condition(OperatorFixture.get(direct, ns, "during"), "Ready"))
              .as("the operator cannot see the API server")
              .isEqualTo("absent");

          proxy.pass();
          long back = System.nanoTime();
          awaitCondition(direct, ns, "during", "Ready", "True", "Ready");
          System.out.printf(
              "fault: API server unreachable 5 s; binding created meanwhile Ready %d ms after it came back%n",
              (System.nanoTime() - back) / 1_000_000);
        } finally {
          operator.close();
        }
      }
    }
  }
}
