package io.dbbinding.webhook;

import io.dbbinding.config.WebhookSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness-gate injection webhook of one operator replica. Every replica serves it, with the
 * key pair of the webhook's Secret (watched, so a renewal is served at once) or, with cert-manager,
 * of the mounted directory (re-read every few seconds). Only the leader writes: it keeps the
 * certificates and the caBundle current and counts the pods created without the gate.
 */
public final class GateWebhook implements AutoCloseable {
  /** The namespace label that asks for gate injection, and its value. */
  public static final String NAMESPACE_LABEL = "dbbinding.io/inject-gates";

  public static final String NAMESPACE_LABEL_VALUE = "enabled";
  public static final String PATH = WebhookServer.PATH;

  private static final Logger log = LoggerFactory.getLogger(GateWebhook.class);
  private static final long CERT_DIR_POLL_SECONDS = 10;
  private static final long TRUST_POLL_MILLIS = 1_000;
  private static final String NOT_LOADED = "Webhook certificate not loaded";

  private final WebhookServer server;
  private final ReloadingKeyManager keys;
  private final ScheduledExecutorService scheduler;
  private final Optional<CertificateKeeper> keeper;
  private final MissedGates missed;
  private final BooleanSupplier leading;
  private final Optional<SharedIndexInformer<Secret>> secretInformer;
  private final Supplier<MutatingWebhookConfiguration> configuration;
  private final String configurationName;

  /** Why the API server cannot trust what this replica serves yet; empty once it can. */
  private volatile Optional<String> untrusted = Optional.of(NOT_LOADED);

  /** The serial of the certificate last found trusted: no API call while it is still served. */
  private volatile BigInteger trustedSerial;

  private GateWebhook(
      WebhookServer server,
      ReloadingKeyManager keys,
      ScheduledExecutorService scheduler,
      Optional<CertificateKeeper> keeper,
      MissedGates missed,
      BooleanSupplier leading,
      Optional<SharedIndexInformer<Secret>> secretInformer,
      String configurationName,
      Supplier<MutatingWebhookConfiguration> configuration) {
    this.configurationName = configurationName;
    this.configuration = configuration;
    this.server = server;
    this.keys = keys;
    this.scheduler = scheduler;
    this.keeper = keeper;
    this.missed = missed;
    this.leading = leading;
    this.secretInformer = secretInformer;
  }

  /**
   * Starts serving (handshakes fail until a key pair is loaded, and the API server then creates
   * pods without the gate, as with any unreachable webhook).
   *
   * @param namespace the operator's own namespace, where its Secret lives
   * @param watchNamespaces the namespaces the operator gates; empty for all
   * @param leading whether this replica leads now
   */
  public static GateWebhook start(
      KubernetesClient client,
      WebhookSettings settings,
      String namespace,
      Set<String> watchNamespaces,
      MeterRegistry metrics,
      BooleanSupplier leading,
      CertificatePolicy policy,
      Clock clock) {
    ReloadingKeyManager keys = new ReloadingKeyManager();
    GateInjection injection =
        new GateInjection(ns -> watchNamespaces.isEmpty() || watchNamespaces.contains(ns));
    WebhookServer server =
        WebhookServer.start(new InetSocketAddress(settings.port()), keys, injection, metrics);
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhook-keeper");
              t.setDaemon(true);
              return t;
            });
    Optional<CertificateKeeper> keeper =
        settings.ownsCertificates()
            ? Optional.of(new CertificateKeeper(client, namespace, settings, policy, clock))
            : Optional.empty();
    MissedGates missed = new MissedGates(client, watchNamespaces, metrics);
    Supplier<MutatingWebhookConfiguration> configuration =
        () ->
            client
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(settings.configuration())
                .get();
    GateWebhook webhook;
    if (settings.certDir().isPresent()) {
      webhook =
          new GateWebhook(
              server,
              keys,
              scheduler,
              keeper,
              missed,
              leading,
              Optional.empty(),
              settings.configuration(),
              configuration);
      Path dir = settings.certDir().get();
      scheduler.scheduleWithFixedDelay(
          () -> webhook.loadFrom(dir), 0, CERT_DIR_POLL_SECONDS, TimeUnit.SECONDS);
    } else {
      // Lists and watches the one Secret by name: RBAC may then name it in resourceNames.
      SharedIndexInformer<Secret> informer =
          client.secrets().inNamespace(namespace).withName(settings.secret()).runnableInformer(0);
      webhook =
          new GateWebhook(
              server,
              keys,
              scheduler,
              keeper,
              missed,
              leading,
              Optional.of(informer),
              settings.configuration(),
              configuration);
      informer.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
              webhook.secretChanged(s);
            }

            @Override
            public void onUpdate(Secret old, Secret s) {
              webhook.secretChanged(s);
            }

            @Override
            public void onDelete(Secret s, boolean unknownFinalState) {
              // Keep serving the key pair we have; the leader makes a new Secret.
              webhook.leaderWork();
            }
          });
      informer.exceptionHandler(
          (started, t) -> {
            log.atWarn()
                .setMessage("webhook.secret_watch_failed")
                .addKeyValue("secret", namespace + "/" + settings.secret())
                .addKeyValue("error", t.getClass().getSimpleName() + ": " + t.getMessage())
                .log();
            return true; // keep trying: RBAC or the API server may come back
          });
      informer.start();
    }
    scheduler.scheduleWithFixedDelay(
        webhook::leaderWork, 0, policy.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        webhook::checkTrust, 0, TRUST_POLL_MILLIS, TimeUnit.MILLISECONDS);
    log.atInfo()
        .setMessage("webhook.started")
        .addKeyValue("port", server.port())
        .addKeyValue("path", PATH)
        .addKeyValue(
            "certificates",
            settings.certDir().map(d -> "from " + d).orElse("own, in Secret " + settings.secret()))
        .log();
    return webhook;
  }

  /**
   * Called when this replica becomes the leader: it checks at once rather than at the next tick.
   */
  public void leadershipGained() {
    scheduler.execute(this::leaderWork);
  }

  private void secretChanged(Secret secret) {
    WebhookSecret.serving(WebhookSecret.text(secret)).ifPresent(this::serve);
    // A Secret changed by someone else (or emptied) is put right by the leader at once.
    scheduler.execute(this::leaderWork);
  }

  private void loadFrom(Path dir) {
    try {
      String cert = Files.readString(dir.resolve("tls.crt"));
      String key = Files.readString(dir.resolve("tls.key"));
      serve(ServingKeys.parse(cert, key));
    } catch (IOException | Pem.InvalidPemException e) {
      // The kubelet may be swapping the files right now: the next poll reads them whole.
      log.atWarn()
          .setMessage("webhook.certificate_unreadable")
          .addKeyValue("dir", dir.toString())
          .addKeyValue("error", e.getMessage())
          .log();
    } catch (RuntimeException e) {
      log.atWarn()
          .setMessage("webhook.certificate_unreadable")
          .addKeyValue("dir", dir.toString())
          .addKeyValue("error", e.getClass().getSimpleName())
          .log();
    }
  }

  private void serve(ServingKeys serving) {
    if (keys.load(serving)) {
      log.atInfo()
          .setMessage("webhook.certificate_loaded")
          .addKeyValue("serial", serving.certificate().getSerialNumber().toString(16))
          .addKeyValue("not_after", serving.certificate().getNotAfter().toInstant().toString())
          .log();
    }
  }

  /** The leader's periodic work; a failure is logged and retried at the next tick. */
  private void leaderWork() {
    if (!leading.getAsBoolean()) {
      return;
    }
    try {
      keeper.ifPresent(CertificateKeeper::check);
    } catch (RuntimeException e) {
      if (scheduler.isShutdown()) {
        return;
      }
      log.atWarn()
          .setMessage("webhook.certificate_check_failed")
          .addKeyValue("error", e.getClass().getSimpleName() + ": " + e.getMessage())
          .log();
    }
    try {
      missed.scan();
    } catch (RuntimeException e) {
      if (scheduler.isShutdown()) {
        return; // interrupted by close()
      }
      log.atWarn()
          .setMessage("webhook.missed_gate_scan_failed")
          .addKeyValue("error", e.getClass().getSimpleName() + ": " + e.getMessage())
          .log();
    }
  }

  /** Whether this replica has a key pair to serve with. */
  public boolean serving() {
    return keys.serving().isPresent();
  }

  /**
   * Why this replica should not be ready yet, in a few words; empty once it serves a certificate
   * that the webhook configuration's caBundle trusts, so that the API server can call it. (Ready
   * only then: {@code helm install --wait} returning means the next pod gets its gate.)
   */
  public Optional<String> notReadyBecause() {
    if (!serving()) {
      return Optional.of(NOT_LOADED);
    }
    return untrusted;
  }

  /**
   * Compares the served certificate with the caBundle, until it is trusted; then only on change.
   */
  private void checkTrust() {
    Optional<X509Certificate> served = keys.serving();
    if (served.isEmpty()) {
      untrusted = Optional.of(NOT_LOADED);
      return;
    }
    BigInteger serial = served.get().getSerialNumber();
    if (serial.equals(trustedSerial)) {
      return;
    }
    try {
      Optional<String> problem =
          BundleTrust.problem(configurationName, configuration.get(), served.get());
      if (problem.isEmpty()) {
        trustedSerial = serial;
        log.atInfo()
            .setMessage("webhook.trusted")
            .addKeyValue("configuration", configurationName)
            .addKeyValue("serial", serial.toString(16))
            .log();
      }
      untrusted = problem;
    } catch (RuntimeException e) {
      if (scheduler.isShutdown()) {
        return;
      }
      untrusted = Optional.of("MutatingWebhookConfiguration " + configurationName + " unreadable");
      log.atWarn()
          .setMessage("webhook.configuration_unreadable")
          .addKeyValue("configuration", configurationName)
          .addKeyValue("error", e.getClass().getSimpleName())
          .log();
    }
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    secretInformer.ifPresent(SharedIndexInformer::close);
    server.close();
  }
}
