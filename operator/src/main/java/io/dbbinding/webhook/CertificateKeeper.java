package io.dbbinding.webhook;

import io.dbbinding.config.WebhookSettings;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's half of the certificates: makes the CA and the serving certificate when the Secret
 * lacks them, renews each at {@link CertificatePolicy#renewAfter()} of its life, and keeps the
 * MutatingWebhookConfiguration's {@code caBundle} equal to the Secret's {@code ca.crt}. A renewed
 * CA joins the bundle before any replica serves a certificate it signed, and the previous CA stays
 * in the bundle until it expires, so that replicas still serving the previous certificate are
 * trusted meanwhile.
 *
 * <p>Every write is a compare-and-swap on the resourceVersion read just before: a replica that
 * still thinks it leads cannot overwrite what the new leader wrote.
 */
final class CertificateKeeper {
  private static final Logger log = LoggerFactory.getLogger(CertificateKeeper.class);

  private final KubernetesClient client;
  private final String namespace;
  private final WebhookSettings settings;
  private final CertificatePolicy policy;
  private final Clock clock;
  private boolean warnedMissingConfiguration;

  CertificateKeeper(
      KubernetesClient client,
      String namespace,
      WebhookSettings settings,
      CertificatePolicy policy,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.settings = settings;
    this.policy = policy;
    this.clock = clock;
  }

  /** The names the serving certificate is for: the Service's, then any extra ones. */
  List<String> hosts() {
    List<String> hosts = new ArrayList<>();
    String svc = settings.service() + "." + namespace + ".svc";
    hosts.add(svc);
    hosts.add(svc + ".cluster.local");
    settings.extraHosts().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
    return hosts;
  }

  /** Brings the Secret and the caBundle up to date; call it on the leader only. */
  synchronized void check() {
    var secrets = client.secrets().inNamespace(namespace).withName(settings.secret());
    var secret = secrets.get();
    Map<String, String> text = WebhookSecret.text(secret);
    Instant now = clock.instant();

    List<X509Certificate> bundle = validCertificates(text.get(WebhookSecret.CA_CERT), now);
    Optional<Certificates.Issued> current = currentCa(text, bundle, now);
    boolean newCa = current.isEmpty();
    Certificates.Issued ca =
        current.orElseGet(
            () -> Certificates.newCa("dbbinding-webhook-ca", now, now.plus(policy.caValidity())));
    List<X509Certificate> newBundle = new ArrayList<>();
    newBundle.add(ca.certificate());
    bundle.stream().filter(c -> !c.equals(ca.certificate())).forEach(newBundle::add);

    Optional<ServingKeys> serving =
        WebhookSecret.serving(text).filter(s -> !newCa && stillGood(s, ca, now));
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(WebhookSecret.CA_CERT, Pem.encode(newBundle));
    wanted.put(WebhookSecret.CA_KEY, Pem.encode(ca.key()));
    if (serving.isPresent()) {
      wanted.put(WebhookSecret.TLS_CERT, text.get(WebhookSecret.TLS_CERT));
      wanted.put(WebhookSecret.TLS_KEY, text.get(WebhookSecret.TLS_KEY));
    } else {
      Instant until = now.plus(policy.servingValidity());
      Instant caEnd = ca.certificate().getNotAfter().toInstant();
      Certificates.Issued issued =
          Certificates.issue(ca, hosts(), now, until.isAfter(caEnd) ? caEnd : until);
      wanted.put(WebhookSecret.TLS_CERT, Pem.encode(List.of(issued.certificate())));
      wanted.put(WebhookSecret.TLS_KEY, Pem.encode(issued.key()));
      log.atInfo()
          .setMessage("webhook.certificate_issued")
          .addKeyValue("secret", namespace + "/" + settings.secret())
          .addKeyValue("serial", issued.certificate().getSerialNumber().toString(16))
          .addKeyValue("not_after", issued.certificate().getNotAfter().toInstant().toString())
          .addKeyValue("renew_at", policy.renewAt(issued.certificate()).toString())
          .addKeyValue("new_ca", newCa)
          .addKeyValue("hosts", String.join(",", hosts()))
          .log();
    }
    String caBundle = wanted.get(WebhookSecret.CA_CERT);
    if (!wanted.equals(text)) {
      // The new CA must be trusted before any replica serves what it signed.
      updateCaBundle(caBundle);
      var data = WebhookSecret.data(wanted);
      if (secret == null) {
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(settings.secret())
                    .withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/component", "webhook")
                    .endMetadata()
                    .withType("Opaque")
                    .withData(data)
                    .build())
            .create();
      } else {
        // update() sends the resourceVersion read above: a conflict means another writer won.
        client.resource(new SecretBuilder(secret).withData(data).build()).update();
      }
      log.atInfo()
          .setMessage("webhook.secret_updated")
          .addKeyValue("secret", namespace + "/" + settings.secret())
          .log();
    }
    updateCaBundle(caBundle);
  }

  private Optional<Certificates.Issued> currentCa(
      Map<String, String> text, List<X509Certificate> bundle, Instant now) {
    if (bundle.isEmpty() || !text.containsKey(WebhookSecret.CA_KEY)) {
      return Optional.empty();
    }
    X509Certificate ca = bundle.getFirst();
    try {
      PrivateKey key = Pem.privateKey(text.get(WebhookSecret.CA_KEY));
      if (!ServingKeys.matches(ca, key) || !now.isBefore(policy.renewAt(ca))) {
        return Optional.empty();
      }
      return Optional.of(new Certificates.Issued(ca, key));
    } catch (Pem.InvalidPemException e) {
      return Optional.empty();
    }
  }

  /** The serving certificate may stay: signed by the CA, for our names, not yet due. */
  private boolean stillGood(ServingKeys s, Certificates.Issued ca, Instant now) {
    X509Certificate c = s.certificate();
    try {
      c.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    return now.isBefore(policy.renewAt(c))
        && !c.getNotBefore().toInstant().isAfter(now)
        && names(c).equals(new HashSet<>(hosts()));
  }

  private static Set<String> names(X509Certificate c) {
    Set<String> names = new HashSet<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        sans.forEach(san -> names.add(String.valueOf(san.get(1))));
      }
    } catch (CertificateParsingException e) {
      // no names: the certificate is replaced
    }
    return names;
  }

  private static List<X509Certificate> validCertificates(String pem, Instant now) {
    if (pem == null) {
      return List.of();
    }
    try {
      return Pem.certificates(pem).stream()
          .filter(c -> c.getNotAfter().toInstant().isAfter(now))
          .toList();
    } catch (Pem.InvalidPemException e) {
      return List.of();
    }
  }

  /** Sets every webhook's caBundle of our configuration to {@code pem}, where it differs. */
  private void updateCaBundle(String pem) {
    String wanted = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    var resource =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(settings.configuration());
    MutatingWebhookConfiguration config;
    try {
      config = resource.get();
    } catch (KubernetesClientException e) {
      log.atWarn()
          .setMessage("webhook.configuration_unreadable")
          .addKeyValue("configuration", settings.configuration())
          .addKeyValue("status", e.getCode())
          .log();
      return;
    }
    if (config == null) {
      if (!warnedMissingConfiguration) {
        warnedMissingConfiguration = true;
        log.atWarn()
            .setMessage("webhook.configuration_missing")
            .addKeyValue("configuration", settings.configuration())
            .addKeyValue(
                "hint", "install the chart with webhook.enabled=true, or set WEBHOOK_CONFIGURATION")
            .log();
      }
      return;
    }
    warnedMissingConfiguration = false;
    List<MutatingWebhook> hooks = config.getWebhooks() == null ? List.of() : config.getWebhooks();
    StringBuilder patch = new StringBuilder("[");
    patch
        .append("{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"")
        .append(config.getMetadata().getResourceVersion())
        .append("\"}");
    int changed = 0;
    for (int i = 0; i < hooks.size(); i++) {
      MutatingWebhook h = hooks.get(i);
      if (h.getClientConfig() != null && wanted.equals(h.getClientConfig().getCaBundle())) {
        continue;
      }
      patch
          .append(",{\"op\":\"add\",\"path\":\"/webhooks/")
          .append(i)
          .append("/clientConfig/caBundle\",\"value\":\"")
          .append(wanted)
          .append("\"}");
      changed++;
    }
    if (changed == 0) {
      return;
    }
    resource.patch(PatchContext.of(PatchType.JSON), patch.append("]").toString());
    log.atInfo()
        .setMessage("webhook.ca_bundle_updated")
        .addKeyValue("configuration", settings.configuration())
        .addKeyValue("webhooks", changed)
        .log();
  }
}
