package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Installs the DatabaseBinding CRD where no chart does: the playground's API server, tests'. */
public final class BindingCrd {
  private BindingCrd() {}

  /**
   * Applies the CRD read from {@code yaml} (server-side) and waits until the API server serves it
   * (condition Established), at most {@code timeout}.
   */
  public static void install(KubernetesClient client, InputStream yaml, Duration timeout) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
    client.resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }
}
