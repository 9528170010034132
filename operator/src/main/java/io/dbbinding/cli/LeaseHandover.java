package io.dbbinding.cli;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader Lease back when the operator stops cleanly. java-operator-sdk cancels its leader
 * elector without releasing the Lease, so on every rolling update the next replica would wait out
 * the whole lease duration (15 s) before it reconciles anything. An empty holder lets it take the
 * Lease at its next retry (2 s), as client-go's ReleaseOnCancel does.
 */
final class LeaseHandover {
  private static final Logger log = LoggerFactory.getLogger(LeaseHandover.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Clock clock;

  LeaseHandover(
      KubernetesClient client, String namespace, String name, String identity, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.clock = clock;
  }

  /**
   * Empties the Lease's holder if it is still ours. Call it only once this replica has stopped
   * reconciling, or two replicas could work at once.
   */
  void release() {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      Lease released =
          new LeaseBuilder(lease)
              .editSpec()
              .withHolderIdentity(null)
              .withLeaseDurationSeconds(1)
              .withRenewTime(ZonedDateTime.now(clock))
              .endSpec()
              .build();
      // The resourceVersion read above makes this a compare-and-swap: if another replica took
      // the Lease meanwhile, the update fails and its lease stays as it is.
      client.resource(released).update();
      log.atInfo()
          .setMessage("leader.lease_released")
          .addKeyValue("lease", namespace + "/" + name)
          .addKeyValue("identity", identity)
          .log();
    } catch (KubernetesClientException e) {
      // Not fatal: the next replica then takes over when the lease expires.
      log.atWarn()
          .setMessage("leader.lease_release_failed")
          .addKeyValue("lease", namespace + "/" + name)
          .addKeyValue("status", e.getCode())
          .addKeyValue(
              "error",
              e.getStatus() == null ? e.getClass().getSimpleName() : e.getStatus().getReason())
          .log();
    }
  }
}
