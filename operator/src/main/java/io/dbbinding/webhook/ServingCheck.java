package io.dbbinding.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls each webhook of a configuration the way the API server does: at its Service (or URL),
 * trusting only its {@code caBundle}, with one AdmissionReview of a labelled pod, and checks that
 * it is answered. A replica being ready is not enough for that: the Service's endpoints reach
 * kube-proxy, and so the API server's path to them, only after it is. Helm's post-install hook
 * ({@code dbbinding webhook-ready}) waits for this, so that {@code helm install --wait} returns
 * once a pod created next gets its gate.
 */
public final class ServingCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServingCheck() {}

  /**
   * Why the API server could not call {@code configuration}'s webhooks now, in a few words; empty
   * when every one answered the review.
   *
   * @param name the configuration's name, for the message
   * @param configuration as read from the API server; null when it does not exist
   */
  public static Optional<String> problem(
      String name, MutatingWebhookConfiguration configuration, Duration timeout) {
    Optional<String> missing = BundleTrust.missing(name, configuration);
    if (missing.isPresent()) {
      return missing;
    }
    for (MutatingWebhook hook : configuration.getWebhooks()) {
      Optional<String> problem = call(hook, timeout);
      if (problem.isPresent()) {
        return Optional.of(hook.getName() + ": " + problem.get());
      }
    }
    return Optional.empty();
  }

  /** Where the API server sends this webhook's reviews. */
  static URI address(MutatingWebhook hook) {
    var client = hook.getClientConfig();
    if (client.getUrl() != null && !client.getUrl().isBlank()) {
      return URI.create(client.getUrl());
    }
    ServiceReference s = client.getService();
    int port = s.getPort() == null ? 443 : s.getPort();
    String path = s.getPath() == null ? "/" : s.getPath();
    return URI.create("https://" + s.getName() + "." + s.getNamespace() + ".svc:" + port + path);
  }

  private static Optional<String> call(MutatingWebhook hook, Duration timeout) {
    if (hook.getClientConfig() == null) {
      return Optional.of("no clientConfig");
    }
    SSLContext tls;
    try {
      tls = trusting(hook.getClientConfig().getCaBundle());
    } catch (GeneralSecurityException | IOException | Pem.InvalidPemException e) {
      return Optional.of("its caBundle is unusable (" + e.getClass().getSimpleName() + ")");
    }
    if (tls == null) {
      return Optional.of("its caBundle is empty");
    }
    URI address = address(hook);
    String uid = UUID.randomUUID().toString();
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    try (http) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(address)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(review(uid)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.of(address + " answered " + response.statusCode());
      }
      JsonNode answer = JSON.readTree(response.body()).path("response");
      if (!uid.equals(answer.path("uid").asText()) || !answer.path("allowed").asBoolean(false)) {
        return Optional.of(address + " did not answer the review");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          address
              + " unreachable ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** TLS that trusts the CAs of {@code caBundle} (base64 of PEM) only; null when it has none. */
  private static SSLContext trusting(String caBundle)
      throws GeneralSecurityException, IOException, Pem.InvalidPemException {
    List<X509Certificate> cas = BundleTrust.certificates(caBundle);
    if (cas.isEmpty()) {
      return null;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** An AdmissionReview of a pod asking for a gate, in a namespace made up for the check. */
  private static String review(String uid) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"%s","kind":{"group":"","version":"v1","kind":"Pod"},
          "resource":{"group":"","version":"v1","resource":"pods"},"operation":"CREATE",
          "namespace":"dbbinding-webhook-check","object":{"apiVersion":"v1","kind":"Pod",
          "metadata":{"name":"webhook-check","labels":{"dbbinding.io/binding":"webhook-check"}},
          "spec":{"containers":[{"name":"check","image":"none"}]}}}}
        """
        .formatted(uid);
  }
}
