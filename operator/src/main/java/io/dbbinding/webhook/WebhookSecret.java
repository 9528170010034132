package io.dbbinding.webhook;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of the webhook's Secret: {@code ca.crt} (the CA bundle, current CA first), {@code
 * ca.key} (the current CA's key, kept nowhere else), {@code tls.crt} and {@code tls.key} (the
 * serving key pair).
 */
final class WebhookSecret {
  static final String CA_CERT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final String TLS_CERT = "tls.crt";
  static final String TLS_KEY = "tls.key";

  private WebhookSecret() {}

  /** The Secret's data as text; empty for a missing Secret or one without data. */
  static Map<String, String> text(Secret secret) {
    Map<String, String> text = new LinkedHashMap<>();
    if (secret == null || secret.getData() == null) {
      return text;
    }
    secret
        .getData()
        .forEach(
            (k, v) -> {
              try {
                text.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
              } catch (IllegalArgumentException e) {
                // not base64: treated as absent, and so replaced
              }
            });
    return text;
  }

  static Map<String, String> data(Map<String, String> text) {
    Map<String, String> data = new LinkedHashMap<>();
    text.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return data;
  }

  /** The serving key pair in the Secret, if it holds a valid one. */
  static Optional<ServingKeys> serving(Map<String, String> text) {
    String cert = text.get(TLS_CERT);
    String key = text.get(TLS_KEY);
    if (cert == null || key == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ServingKeys.parse(cert, key));
    } catch (Pem.InvalidPemException e) {
      return Optional.empty();
    }
  }
}
