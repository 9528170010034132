package io.dbbinding.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Whether the API server can trust the certificate a replica serves: every webhook of the
 * configuration carries, in its {@code caBundle}, a CA that signed it. Until then the API server
 * fails each call and, with {@code failurePolicy: Ignore}, creates pods without their gate; so a
 * replica is not ready before this holds.
 */
final class BundleTrust {
  private BundleTrust() {}

  /**
   * Why {@code configuration} does not trust {@code served}, in a few words for a readiness body;
   * empty when every webhook's caBundle holds a CA that signed it.
   *
   * @param name the configuration's name, for the message
   * @param configuration as read from the API server; null when it does not exist
   */
  static Optional<String> problem(
      String name, MutatingWebhookConfiguration configuration, X509Certificate served) {
    if (configuration == null) {
      return Optional.of("MutatingWebhookConfiguration " + name + " not found");
    }
    List<MutatingWebhook> hooks =
        configuration.getWebhooks() == null ? List.of() : configuration.getWebhooks();
    if (hooks.isEmpty()) {
      return Optional.of("MutatingWebhookConfiguration " + name + " has no webhooks");
    }
    for (MutatingWebhook hook : hooks) {
      String bundle = hook.getClientConfig() == null ? null : hook.getClientConfig().getCaBundle();
      if (!trusts(bundle, served)) {
        return Optional.of("Webhook certificate not yet in the caBundle of " + name);
      }
    }
    return Optional.empty();
  }

  /** Whether a CA of {@code caBundle} (base64 of PEM, as the API holds it) signed {@code cert}. */
  static boolean trusts(String caBundle, X509Certificate cert) {
    if (caBundle == null || caBundle.isBlank()) {
      return false;
    }
    List<X509Certificate> cas;
    try {
      String pem = new String(Base64.getDecoder().decode(caBundle.strip()), StandardCharsets.UTF_8);
      cas = Pem.certificates(pem);
    } catch (IllegalArgumentException | Pem.InvalidPemException e) {
      return false;
    }
    for (X509Certificate ca : cas) {
      if (!ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        continue;
      }
      try {
        cert.verify(ca.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // Same name, another key (a CA made anew): try the next one.
      }
    }
    return false;
  }
}
