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
    Optional<String> missing = missing(name, configuration);
    if (missing.isPresent()) {
      return missing;
    }
    for (MutatingWebhook hook : configuration.getWebhooks()) {
      String bundle = hook.getClientConfig() == null ? null : hook.getClientConfig().getCaBundle();
      if (!trusts(bundle, served)) {
        return Optional.of("Webhook certificate not yet in the caBundle of " + name);
      }
    }
    return Optional.empty();
  }

  /**
   * Why there is nothing to call in {@code configuration}: it does not exist, or it has no
   * webhooks; empty when it has some.
   */
  static Optional<String> missing(String name, MutatingWebhookConfiguration configuration) {
    if (configuration == null) {
      return Optional.of("MutatingWebhookConfiguration " + name + " not found");
    }
    if (configuration.getWebhooks() == null || configuration.getWebhooks().isEmpty()) {
      return Optional.of("MutatingWebhookConfiguration " + name + " has no webhooks");
    }
    return Optional.empty();
  }

  /**
   * The CAs of a {@code caBundle} as the API holds it (base64 of PEM); empty when it is null or
   * blank.
   *
   * @throws Pem.InvalidPemException when it is not base64 of PEM certificates
   */
  static List<X509Certificate> certificates(String caBundle) throws Pem.InvalidPemException {
    if (caBundle == null || caBundle.isBlank()) {
      return List.of();
    }
    String pem;
    try {
      pem = new String(Base64.getDecoder().decode(caBundle.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Pem.InvalidPemException("caBundle is not base64");
    }
    return Pem.certificates(pem);
  }

  /** Whether a CA of {@code caBundle} (base64 of PEM, as the API holds it) signed {@code cert}. */
  static boolean trusts(String caBundle, X509Certificate cert) {
    List<X509Certificate> cas;
    try {
      cas = certificates(caBundle);
    } catch (Pem.InvalidPemException e) {
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
