package io.dbbinding.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the API server can trust what a replica serves, with real certificates. */
class BundleTrustTest {
  private static final Instant NOW = Instant.now();
  private static final Certificates.Issued CA =
      Certificates.newCa("dbbinding-webhook-ca", NOW, NOW.plus(Duration.ofDays(30)));
  private static final Certificates.Issued SERVED =
      Certificates.issue(CA, List.of("svc"), NOW, NOW.plus(Duration.ofDays(7)));

  private static String bundle(Certificates.Issued... cas) {
    String pem = Pem.encode(Arrays.stream(cas).map(Certificates.Issued::certificate).toList());
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static MutatingWebhookConfiguration configuration(String... bundles) {
    MutatingWebhookConfigurationBuilder b =
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("gates").endMetadata();
    for (int i = 0; i < bundles.length; i++) {
      b.addToWebhooks(
          new MutatingWebhookBuilder()
              .withName("w" + i + ".dbbinding.io")
              .withNewClientConfig()
              .withCaBundle(bundles[i])
              .endClientConfig()
              .build());
    }
    return b.build();
  }

  @Test
  void aBundleHoldingTheSigningCaTrustsItAmongOthers() {
    Certificates.Issued previous =
        Certificates.newCa("dbbinding-webhook-ca", NOW, NOW.plus(Duration.ofDays(30)));
    assertThat(BundleTrust.trusts(bundle(CA), SERVED.certificate())).isTrue();
    assertThat(BundleTrust.trusts(bundle(previous, CA), SERVED.certificate())).isTrue();
  }

  @Test
  void aCaOfTheSameNameButAnotherKeyIsNotTrust() {
    Certificates.Issued impostor =
        Certificates.newCa("dbbinding-webhook-ca", NOW, NOW.plus(Duration.ofDays(30)));
    assertThat(BundleTrust.trusts(bundle(impostor), SERVED.certificate())).isFalse();
    assertThat(BundleTrust.trusts(null, SERVED.certificate())).isFalse();
    assertThat(BundleTrust.trusts("", SERVED.certificate())).isFalse();
    assertThat(BundleTrust.trusts("not base64!", SERVED.certificate())).isFalse();
  }

  @Test
  void everyWebhookOfTheConfigurationMustTrustIt() {
    Certificates.Issued other =
        Certificates.newCa("someone-else", NOW, NOW.plus(Duration.ofDays(30)));
    assertThat(
            BundleTrust.problem(
                "gates", configuration(bundle(CA), bundle(CA)), SERVED.certificate()))
        .isEmpty();
    assertThat(
            BundleTrust.problem(
                "gates", configuration(bundle(CA), bundle(other)), SERVED.certificate()))
        .hasValue("Webhook certificate not yet in the caBundle of gates");
    assertThat(BundleTrust.problem("gates", configuration(), SERVED.certificate()))
        .hasValue("MutatingWebhookConfiguration gates has no webhooks");
    assertThat(BundleTrust.problem("gates", null, SERVED.certificate()))
        .hasValue("MutatingWebhookConfiguration gates not found");
  }
}
