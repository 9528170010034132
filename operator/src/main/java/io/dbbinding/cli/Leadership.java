package io.dbbinding.cli;

import io.dbbinding.config.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica leads, and what follows from it: the {@code dbbinding.leader} gauge, work
 * done at once on gaining the Lease, an exit on losing it while running, and the Lease handed back
 * on a clean stop. Without leader election the replica leads from the start.
 */
final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final OperatorSettings settings;
  private final boolean exitOnLostLease;
  private final Runnable onGained;
  private final Optional<LeaseHandover> handover;
  // For alerts such as "no replica leads": the sum over replicas should be 1.
  private final AtomicInteger leading;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * @param exitOnLostLease whether losing the Lease while running ends the process
   * @param onGained run each time this replica gains the Lease
   */
  Leadership(
      KubernetesClient client,
      OperatorSettings settings,
      boolean exitOnLostLease,
      MeterRegistry metrics,
      Runnable onGained) {
    this.settings = settings;
    this.exitOnLostLease = exitOnLostLease;
    this.onGained = onGained;
    this.handover =
        settings.leaderElection()
            ? Optional.of(
                new LeaseHandover(
                    client,
                    settings.leaseNamespace(),
                    settings.leaseName(),
                    settings.identity(),
                    Clock.systemUTC()))
            : Optional.empty();
    this.leading = new AtomicInteger(settings.leaderElection() ? 0 : 1);
    Gauge.builder("dbbinding.leader", leading, AtomicInteger::get)
        .description("1 while this replica leads and reconciles, else 0")
        .register(metrics);
  }

  boolean leads() {
    return leading.get() == 1;
  }

  /** java-operator-sdk's leader election, when the settings ask for one. */
  Optional<LeaderElectionConfiguration> election() {
    if (!settings.leaderElection()) {
      return Optional.empty();
    }
    return Optional.of(
        new LeaderElectionConfiguration(
            settings.leaseName(),
            settings.leaseNamespace(),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
            settings.identity(),
            new LeaderCallbacks(this::gained, this::lost, newLeader -> {}),
            // Not java-operator-sdk's exit: it also fires on a deliberate stop, where System.exit
            // inside the SIGTERM shutdown blocks until the grace period ends. lost() exits only
            // when the Lease is lost while running.
            false));
  }

  /** From now on a lost Lease is this replica's own stop, not a reason to exit. */
  void stopping() {
    stopping.set(true);
  }

  /**
   * Empties the Lease's holder if it is still ours. Only once this replica reconciles nothing more
   * may another one lead.
   */
  void handOver() {
    handover.ifPresent(LeaseHandover::release);
  }

  private void gained() {
    leading.set(1);
    onGained.run();
  }

  private void lost() {
    leading.set(0);
    if (exitOnLostLease && !stopping.get()) {
      exitAtOnce();
    }
  }

  /**
   * Another replica may be leading already: stop at once, without the orderly shutdown that would
   * let this one finish what it is doing, and let the Deployment start a fresh replica.
   */
  private void exitAtOnce() {
    log.atError()
        .setMessage("leader.lease_lost")
        .addKeyValue("lease", settings.leaseNamespace() + "/" + settings.leaseName())
        .addKeyValue("identity", settings.identity())
        .log();
    Runtime.getRuntime().halt(ExitCode.FAILED);
  }
}
