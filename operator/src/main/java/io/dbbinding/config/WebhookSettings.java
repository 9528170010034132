package io.dbbinding.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings of the readiness-gate injection webhook, which the operator serves over TLS.
 *
 * @param enabled whether the operator serves the webhook at all ({@code WEBHOOK_ENABLED}; the chart
 *     sets it)
 * @param port the HTTPS port ({@code WEBHOOK_PORT}); 0 picks a free one (tests)
 * @param service the Service in front of the replicas ({@code WEBHOOK_SERVICE}): the serving
 *     certificate names {@code <service>.<namespace>.svc} and {@code .svc.cluster.local}
 * @param secret the Secret that holds the CA and the serving key pair ({@code WEBHOOK_SECRET})
 * @param configuration the MutatingWebhookConfiguration whose {@code caBundle} the leader keeps
 *     current ({@code WEBHOOK_CONFIGURATION})
 * @param extraHosts more names or IP addresses for the certificate, for a webhook reached by URL
 *     rather than through the Service ({@code WEBHOOK_CERT_HOSTS}, comma separated)
 * @param certDir a directory with {@code tls.crt} and {@code tls.key} managed by someone else
 *     (cert-manager): the operator then serves them and writes no Secret and no {@code caBundle}
 *     ({@code WEBHOOK_CERT_DIR})
 */
public record WebhookSettings(
    boolean enabled,
    int port,
    String service,
    String secret,
    String configuration,
    List<String> extraHosts,
    Optional<Path> certDir) {
  public static final int DEFAULT_PORT = 9443;
  private static final String NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final String SUBDOMAIN = NAME + "(\\." + NAME + ")*";

  public WebhookSettings {
    extraHosts = List.copyOf(extraHosts);
  }

  /** No webhook: the operator as it ran before it had one. */
  public static WebhookSettings disabled() {
    return new WebhookSettings(
        false,
        DEFAULT_PORT,
        "dbbinding-webhook",
        "dbbinding-webhook-tls",
        "dbbinding",
        List.of(),
        Optional.empty());
  }

  /** Whether the operator makes and rotates its own certificates (no cert-manager). */
  public boolean ownsCertificates() {
    return certDir.isEmpty();
  }

  public static WebhookSettings load(SettingSource source) {
    boolean enabled =
        source
            .get("WEBHOOK_ENABLED")
            .map(
                v ->
                    switch (v.strip().toLowerCase(Locale.ROOT)) {
                      case "true", "1", "yes" -> true;
                      case "false", "0", "no" -> false;
                      default ->
                          throw new ConfigurationException(
                              "WEBHOOK_ENABLED must be true or false, got " + Settings.shown(v));
                    })
            .orElse(false);
    int port = Settings.integer(source, "WEBHOOK_PORT", DEFAULT_PORT, 1, 65535);
    String service = name(source, "WEBHOOK_SERVICE", "dbbinding-webhook", NAME);
    String secret = name(source, "WEBHOOK_SECRET", "dbbinding-webhook-tls", SUBDOMAIN);
    String configuration = name(source, "WEBHOOK_CONFIGURATION", "dbbinding", SUBDOMAIN);
    List<String> hosts =
        source
            .get("WEBHOOK_CERT_HOSTS")
            .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()))
            .map(s -> s.toList())
            .orElse(List.of());
    for (String h : hosts) {
      if (!h.matches(SUBDOMAIN) && !h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
        throw new ConfigurationException(
            "WEBHOOK_CERT_HOSTS must be a comma-separated list of DNS names or IP addresses, got "
                + Settings.shown(h));
      }
    }
    Optional<Path> certDir = source.get("WEBHOOK_CERT_DIR").map(String::strip).map(Path::of);
    if (enabled && certDir.isPresent() && !Files.isDirectory(certDir.get())) {
      throw new ConfigurationException(
          "WEBHOOK_CERT_DIR must be a directory holding tls.crt and tls.key, got "
              + Settings.shown(certDir.get().toString()));
    }
    return new WebhookSettings(enabled, port, service, secret, configuration, hosts, certDir);
  }

  private static String name(SettingSource source, String variable, String fallback, String re) {
    String v = source.get(variable).map(String::strip).orElse(fallback);
    if (v.length() > 253 || !v.matches(re)) {
      throw new ConfigurationException(
          variable + " must be a Kubernetes object name, got " + Settings.shown(v));
    }
    return v;
  }
}
