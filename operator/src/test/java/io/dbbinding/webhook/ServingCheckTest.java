package io.dbbinding.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.testing.FreePorts;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hook's call, against a real webhook server over TLS: answered only when the caBundle fits.
 */
class ServingCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Instant NOW = Instant.now();

  private static String bundle(Certificates.Issued ca) {
    return Base64.getEncoder()
        .encodeToString(Pem.encode(List.of(ca.certificate())).getBytes(StandardCharsets.UTF_8));
  }

  private static MutatingWebhookConfiguration at(String url, String caBundle) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName("gates")
        .endMetadata()
        .addToWebhooks(
            new MutatingWebhookBuilder()
                .withName("gates.dbbinding.io")
                .withNewClientConfig()
                .withUrl(url)
                .withCaBundle(caBundle)
                .endClientConfig()
                .build())
        .build();
  }

  @Test
  void aServerWhoseCertificateTheBundleTrustsAnswersTheReview() throws Exception {
    Certificates.Issued ca = Certificates.newCa("check-ca", NOW, NOW.plus(Duration.ofDays(1)));
    Certificates.Issued served =
        Certificates.issue(ca, List.of("127.0.0.1"), NOW, NOW.plus(Duration.ofDays(1)));
    ReloadingKeyManager keys = new ReloadingKeyManager();
    keys.load(new ServingKeys(List.of(served.certificate()), served.key()));
    WebhookServer server =
        WebhookServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            keys,
            new GateInjection(ns -> true),
            new SimpleMeterRegistry());
    try {
      String url = "https://127.0.0.1:" + server.port() + WebhookServer.PATH;
      assertThat(ServingCheck.problem("gates", at(url, bundle(ca)), TIMEOUT)).isEmpty();

      // Another CA: the TLS handshake fails, as it would for the API server.
      Certificates.Issued other = Certificates.newCa("other", NOW, NOW.plus(Duration.ofDays(1)));
      assertThat(ServingCheck.problem("gates", at(url, bundle(other)), TIMEOUT))
          .hasValueSatisfying(
              p ->
                  assertThat(p)
                      .startsWith(
                          "gates.dbbinding.io: " + url + " unreachable (SSLHandshakeException"));
      assertThat(ServingCheck.problem("gates", at(url, ""), TIMEOUT))
          .hasValue("gates.dbbinding.io: its caBundle is empty");
    } finally {
      server.close();
    }
  }

  @Test
  void nothingListeningOrNoConfigurationIsAProblemNamedInOneLine() throws Exception {
    int port = FreePorts.any();
    Certificates.Issued ca = Certificates.newCa("check-ca", NOW, NOW.plus(Duration.ofDays(1)));
    String url = "https://127.0.0.1:" + port + "/mutate-pods";
    assertThat(ServingCheck.problem("gates", at(url, bundle(ca)), TIMEOUT))
        .hasValueSatisfying(
            p -> assertThat(p).contains(url + " unreachable (").doesNotContain("\n"));
    assertThat(ServingCheck.problem("gates", null, TIMEOUT))
        .hasValue("MutatingWebhookConfiguration gates not found");
  }

  @Test
  void aServiceReferenceIsCalledAtItsClusterName() {
    var hook =
        new MutatingWebhookBuilder()
            .withName("gates.dbbinding.io")
            .withNewClientConfig()
            .withNewService()
            .withName("dbbinding-webhook")
            .withNamespace("dbbinding-system")
            .withPath("/mutate-pods")
            .endService()
            .endClientConfig()
            .build();
    assertThat(ServingCheck.address(hook).toString())
        .isEqualTo("https://dbbinding-webhook.dbbinding-system.svc:443/mutate-pods");
  }
}
