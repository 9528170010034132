package io.dbbinding.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.OperatorFixture;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.WebhookSettings;
import io.dbbinding.readiness.ReadinessGate;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate-injection webhook on a real API server: the webhook is registered with a URL client
 * config pointing at the operator in this JVM, and its caBundle is whatever the operator wrote.
 */
@Tag("integration")
public class GateWebhookTest {
  private static final Duration WAIT = OperatorFixture.WAIT;
  private static final String SECRET = "dbbinding-webhook-tls";

  private static KubernetesClient client;
  private static String operatorNs;
  private static int webhookPort;
  private static String configuration;

  /** Opted in, and named in the configuration's namespaceSelector. */
  private static String optedIn;

  /** Not labelled: the API server never calls the webhook for it. */
  private static String plain;

  /** Labelled, but left out of the test configuration: its pods miss the gate. */
  private static String unreached;

  private OperatorRuntime operator;

  @BeforeAll
  static void register() throws IOException {
    client = TestKubernetes.client();
    operatorNs = TestKubernetes.newNamespace();
    optedIn = TestKubernetes.newNamespace();
    plain = TestKubernetes.newNamespace();
    unreached = TestKubernetes.newNamespace();
    for (String ns : List.of(optedIn, unreached)) {
      client
          .namespaces()
          .withName(ns)
          .edit(
              n -> {
                n.getMetadata()
                    .getLabels()
                    .put(GateWebhook.NAMESPACE_LABEL, GateWebhook.NAMESPACE_LABEL_VALUE);
                return n;
              });
    }
    webhookPort = FreePorts.any();
    configuration = "dbbinding-test-" + operatorNs;
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(webhookConfiguration(configuration, webhookPort, List.of(optedIn, plain)))
        .create();
  }

  /**
   * What the chart installs, with a URL instead of the Service, and the namespaces limited to this
   * test's (the API server is shared with other tests).
   */
  public static MutatingWebhookConfiguration webhookConfiguration(
      String name, int port, List<String> namespaces) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addNewWebhook()
        .withName("gates.dbbinding.io")
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Ignore")
        .withTimeoutSeconds(2)
        .withReinvocationPolicy("Never")
        .withNewClientConfig()
        .withUrl("https://127.0.0.1:" + port + GateWebhook.PATH)
        .endClientConfig()
        .addNewRule()
        .withOperations("CREATE")
        .withApiGroups("")
        .withApiVersions("v1")
        .withResources("pods")
        .withScope("Namespaced")
        .endRule()
        .withNewObjectSelector()
        .addNewMatchExpression()
        .withKey(ReadinessGate.BINDING_LABEL)
        .withOperator("Exists")
        .endMatchExpression()
        .endObjectSelector()
        .withNewNamespaceSelector()
        .addToMatchLabels(GateWebhook.NAMESPACE_LABEL, GateWebhook.NAMESPACE_LABEL_VALUE)
        .addNewMatchExpression()
        .withKey("kubernetes.io/metadata.name")
        .withOperator("In")
        .withValues(namespaces)
        .endMatchExpression()
        .endNamespaceSelector()
        .endWebhook()
        .build();
  }

  @AfterAll
  static void unregister() {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configuration)
        .delete();
    client.close();
  }

  @BeforeEach
  void startOperator() {
    operator = start();
    awaitServing();
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  /** An operator serving the webhook; several run in this JVM, so none exits on a lost Lease. */
  private static OperatorRuntime withWebhook(OperatorSettings op, WebhookSettings webhook) {
    return OperatorRuntime.start(
        OperatorFixture.options(client, op).withWebhook(webhook).withExitOnLostLease(false));
  }

  private static OperatorRuntime start() {
    return withWebhook(
        new OperatorSettings(
            Set.of(), false, "dbbinding-operator", operatorNs, "webhook-0", Duration.ofSeconds(5)),
        new WebhookSettings(
            true,
            webhookPort,
            "dbbinding-webhook",
            SECRET,
            configuration,
            List.of("127.0.0.1"),
            Optional.empty()));
  }

  /** Until the caBundle is the Secret's and the webhook answers with the Secret's certificate. */
  private static void awaitServing() {
    Eventually.until(
        "the webhook to serve the Secret's certificate, trusted by the caBundle",
        WAIT,
        () -> {
          Map<String, String> text = secretText();
          if (!text.containsKey(WebhookSecret.TLS_CERT)) {
            return false;
          }
          String bundle = caBundle();
          return text.get(WebhookSecret.CA_CERT).equals(bundle)
              && served(bundle).equals(certificate(text.get(WebhookSecret.TLS_CERT)));
        });
  }

  private static Map<String, String> secretText() {
    return WebhookSecret.text(client.secrets().inNamespace(operatorNs).withName(SECRET).get());
  }

  private static String caBundle() {
    return caBundle(configuration);
  }

  private static String caBundle(String name) {
    MutatingWebhookConfiguration c =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
    String b64 = c.getWebhooks().getFirst().getClientConfig().getCaBundle();
    return b64 == null ? "" : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static X509Certificate certificate(String pem) {
    try {
      return Pem.certificates(pem).getFirst();
    } catch (Pem.InvalidPemException e) {
      throw new AssertionError(e);
    }
  }

  /** A TLS context that trusts only the CAs of {@code bundle}, as the API server does. */
  private static SSLContext trusting(String bundle) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (X509Certificate ca : Pem.certificates(bundle)) {
      store.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  /** The certificate the webhook presents to a client that trusts {@code bundle} only. */
  private static X509Certificate served(String bundle) {
    return served(bundle, webhookPort);
  }

  private static X509Certificate served(String bundle, int port) {
    try (SSLSocket socket =
        (SSLSocket) trusting(bundle).getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (Exception e) {
      throw new IllegalStateException("handshake failed: " + e, e);
    }
  }

  private static Pod create(String ns, String name, boolean labelled, String... otherGates) {
    var p = OperatorFixture.pod(ns, name, "orders", false);
    if (!labelled) {
      p.editMetadata().withLabels(Map.of("app", "web")).endMetadata();
    }
    for (String g : otherGates) {
      p.editSpec().addNewReadinessGate(g).endSpec();
    }
    return client.pods().inNamespace(ns).resource(p.build()).create();
  }

  private static List<String> gates(Pod pod) {
    List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
    return gates == null ? List.of() : gates.stream().map(g -> g.getConditionType()).toList();
  }

  @Test
  void aLabelledPodInAnOptedInNamespaceGetsTheGateAndNothingElse() {
    Pod plainPod = create(plain, "reference", true);
    Pod gated = create(optedIn, "web-1", true);
    assertThat(gates(gated)).containsExactly(ReadinessGate.CONDITION_TYPE);
    // Everything else is as the API server would have made it without the webhook.
    assertThat(gated.getSpec().toBuilder().withReadinessGates().build())
        .isEqualTo(plainPod.getSpec().toBuilder().withReadinessGates().build());
    assertThat(gated.getMetadata().getLabels()).isEqualTo(plainPod.getMetadata().getLabels());
    assertThat(gated.getMetadata().getAnnotations())
        .isEqualTo(plainPod.getMetadata().getAnnotations());

    // A gate of someone else's stays, and ours is added once.
    Pod both = create(optedIn, "web-2", true, "example.com/load-balancer");
    assertThat(gates(both))
        .containsExactly("example.com/load-balancer", ReadinessGate.CONDITION_TYPE);
    Pod already = create(optedIn, "web-3", true, ReadinessGate.CONDITION_TYPE);
    assertThat(gates(already)).containsExactly(ReadinessGate.CONDITION_TYPE);
  }

  @Test
  void podsInOtherNamespacesOrWithoutTheLabelGetNoGate() {
    assertThat(gates(create(plain, "web-1", true))).isEmpty();
    assertThat(gates(create(optedIn, "unlabelled", false))).isEmpty();
  }

  @Test
  void theWebhookAnswersBadReviewsWithAllowedWithinASecond() throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(trusting(caBundle()))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    URI uri = URI.create("https://127.0.0.1:" + webhookPort + GateWebhook.PATH);
    long start = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"request\": 42"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"allowed\":true")
        .contains("dbbinding webhook: the body is not JSON; pod unchanged");
    assertThat(took).isLessThan(Duration.ofSeconds(1));

    HttpResponse<String> get =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void podsCreatedWhileTheOperatorIsDownAreCreatedUngatedAndCountedOnceItIsBack() throws Exception {
    operator.close();
    operator = null;
    Pod missed1 = create(optedIn, "while-down-1", true);
    Pod missed2 = create(optedIn, "while-down-2", true);
    assertThat(gates(missed1)).isEmpty();
    assertThat(gates(missed2)).isEmpty();

    operator = start();
    awaitServing();
    Eventually.until("dbbinding_gates_missed_total 2", WAIT, () -> missedTotal(operator) == 2.0);
    assertThat(gates(create(optedIn, "after", true))).containsExactly(ReadinessGate.CONDITION_TYPE);

    // A pod the webhook never sees in a labelled namespace is missed too; the next scan (a change
    // of the Secret starts one) counts it, and the two already counted are not counted again.
    assertThat(gates(create(unreached, "unreached", true))).isEmpty();
    client
        .secrets()
        .inNamespace(operatorNs)
        .withName(SECRET)
        .edit(
            s -> {
              s.getMetadata().setAnnotations(Map.of("test/nudge", Instant.now().toString()));
              return s;
            });
    Eventually.until("dbbinding_gates_missed_total 3", WAIT, () -> missedTotal(operator) == 3.0);
    Thread.sleep(1_000);
    assertThat(missedTotal(operator)).isEqualTo(3.0);
  }

  /** The counter as Prometheus scrapes it from the operator's /metrics. */
  private static double missedTotal(OperatorRuntime operator) {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + operator.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m =
          Pattern.compile("(?m)^dbbinding_gates_missed_total(\\{[^}]*\\})? (\\S+)$").matcher(body);
      return m.find() ? Double.parseDouble(m.group(2)) : -1;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCertificateForcedToItsRenewalIsRotatedAndTheWebhookKeepsServing() {
    Map<String, String> before = secretText();
    X509Certificate firstServing = certificate(before.get(WebhookSecret.TLS_CERT));

    // As if the operator had made these 500 days ago: both past two thirds of their lifetime.
    Instant now = Instant.now();
    Certificates.Issued oldCa =
        Certificates.newCa("old-ca", now.minus(Duration.ofDays(500)), now.plus(Duration.ofDays(5)));
    Certificates.Issued oldServing =
        Certificates.issue(
            oldCa,
            List.of(
                "dbbinding-webhook." + operatorNs + ".svc",
                "dbbinding-webhook." + operatorNs + ".svc.cluster.local",
                "127.0.0.1"),
            now.minus(Duration.ofDays(80)),
            now.plus(Duration.ofDays(2)));
    Map<String, String> forced = new LinkedHashMap<>();
    forced.put(WebhookSecret.CA_CERT, Pem.encode(List.of(oldCa.certificate())));
    forced.put(WebhookSecret.CA_KEY, Pem.encode(oldCa.key()));
    forced.put(WebhookSecret.TLS_CERT, Pem.encode(List.of(oldServing.certificate())));
    forced.put(WebhookSecret.TLS_KEY, Pem.encode(oldServing.key()));
    Secret secret = client.secrets().inNamespace(operatorNs).withName(SECRET).get();
    client
        .resource(new SecretBuilder(secret).withData(WebhookSecret.data(forced)).build())
        .update();

    Map<String, String> after =
        Eventually.get(
            "the leader to renew the CA and the serving certificate",
            WAIT,
            () -> {
              Map<String, String> t = secretText();
              return t.containsKey(WebhookSecret.TLS_CERT)
                      && !t.get(WebhookSecret.TLS_CERT).equals(forced.get(WebhookSecret.TLS_CERT))
                      && !t.get(WebhookSecret.CA_KEY).equals(forced.get(WebhookSecret.CA_KEY))
                  ? t
                  : null;
            });
    X509Certificate renewed = certificate(after.get(WebhookSecret.TLS_CERT));
    assertThat(renewed.getSerialNumber())
        .isNotEqualTo(oldServing.certificate().getSerialNumber())
        .isNotEqualTo(firstServing.getSerialNumber());
    assertThat(renewed.getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(80)));
    List<X509Certificate> bundle = certificates(after.get(WebhookSecret.CA_CERT));
    // The new CA first; the old one stays trusted until it expires, for replicas not yet reloaded.
    assertThat(bundle).hasSize(2);
    assertThat(bundle.get(1)).isEqualTo(oldCa.certificate());
    assertThat(bundle.get(0).getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(700)));

    awaitServing(); // the caBundle is the new ca.crt and the webhook serves the renewed certificate
    assertThat(served(Pem.encode(List.of(bundle.get(0))))).isEqualTo(renewed);
    assertThat(gates(create(optedIn, "after-rotation", true)))
        .containsExactly(ReadinessGate.CONDITION_TYPE);
  }

  @Test
  void onlyTheLeaderWritesAndEveryReplicaServes() throws Exception {
    // Replicas of their own: another namespace, Secret and configuration (one that never matches).
    String ns = TestKubernetes.newNamespace();
    String config = "dbbinding-test-replicas-" + ns;
    MutatingWebhookConfiguration never =
        webhookConfiguration(config, 1, List.of("no-such-namespace"));
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(never).create();
    // Someone else holds the Lease for an hour: the first replica follows.
    client
        .leases()
        .inNamespace(ns)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("dbbinding-operator")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("someone-else")
                .withLeaseDurationSeconds(3600)
                .withAcquireTime(ZonedDateTime.now())
                .withRenewTime(ZonedDateTime.now())
                .endSpec()
                .build())
        .create();
    OperatorRuntime a = replica(ns, config, "replica-a");
    OperatorRuntime b = null;
    try {
      Thread.sleep(3_000);
      assertThat(client.secrets().inNamespace(ns).withName(SECRET).get()).isNull();
      assertThat(caBundle(config)).isEmpty();
      HttpResponse<String> notReady = readiness(a);
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("{\"detail\":\"Webhook certificate not loaded\"}");

      // The Lease is free: the replica leads, makes the certificates and serves them.
      client.leases().inNamespace(ns).withName("dbbinding-operator").delete();
      Map<String, String> text =
          Eventually.get(
              "the new leader to fill the Secret",
              WAIT,
              () -> {
                Map<String, String> t =
                    WebhookSecret.text(client.secrets().inNamespace(ns).withName(SECRET).get());
                return t.containsKey(WebhookSecret.TLS_CERT) ? t : null;
              });
      X509Certificate cert = certificate(text.get(WebhookSecret.TLS_CERT));
      String version =
          client
              .secrets()
              .inNamespace(ns)
              .withName(SECRET)
              .get()
              .getMetadata()
              .getResourceVersion();

      // A second replica follows: it writes nothing and serves the leader's certificate.
      b = replica(ns, config, "replica-b");
      for (OperatorRuntime r : List.of(a, b)) {
        Eventually.until("a replica ready", WAIT, () -> readiness(r).statusCode() == 200);
        assertThat(served(caBundle(config), r.webhookPort().orElseThrow())).isEqualTo(cert);
      }
      assertThat(
              client
                  .secrets()
                  .inNamespace(ns)
                  .withName(SECRET)
                  .get()
                  .getMetadata()
                  .getResourceVersion())
          .isEqualTo(version);
    } finally {
      if (b != null) {
        b.close();
      }
      a.close();
      client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(config).delete();
    }
  }

  @Test
  void withCertManagerTheMountedCertificateIsServedReloadedAndNothingIsWritten(@TempDir Path dir)
      throws Exception {
    String ns = TestKubernetes.newNamespace();
    String bundleBefore = caBundle();
    Instant now = Instant.now();
    Certificates.Issued ca =
        Certificates.newCa("cert-manager-like", now, now.plus(Duration.ofDays(90)));
    Certificates.Issued first = mount(dir, ca, now);
    OperatorRuntime mounted =
        withWebhook(
            new OperatorSettings(
                Set.of(), false, "dbbinding-operator", ns, "mounted-0", Duration.ofSeconds(5)),
            new WebhookSettings(
                true, 0, "dbbinding-webhook", SECRET, configuration, List.of(), Optional.of(dir)));
    try {
      String trust = Pem.encode(List.of(ca.certificate()));
      int port = mounted.webhookPort().orElseThrow();
      Eventually.until(
          "the mounted certificate to be served",
          WAIT,
          () -> served(trust, port).equals(first.certificate()));
      // cert-manager renews: the kubelet swaps the files, the operator serves the new ones.
      Certificates.Issued second = mount(dir, ca, now.plusSeconds(1));
      Eventually.until(
          "the renewed certificate to be served",
          WAIT,
          () -> served(trust, port).equals(second.certificate()));
      // Served, but not ready: this configuration's caBundle (cert-manager's CA injector would
      // fill it) does not hold the CA that signed it, so the API server could not call it.
      HttpResponse<String> untrusted = readiness(mounted);
      assertThat(untrusted.statusCode()).isEqualTo(503);
      assertThat(untrusted.body())
          .isEqualTo(
              "{\"detail\":\"Webhook certificate not yet in the caBundle of "
                  + configuration
                  + "\"}");
      // It wrote nothing: no Secret of its own, and the caBundle is cert-manager's business.
      assertThat(client.secrets().inNamespace(ns).withName(SECRET).get()).isNull();
      assertThat(caBundle()).isEqualTo(bundleBefore);
    } finally {
      mounted.close();
    }
  }

  /**
   * Writes a serving certificate and its key as cert-manager's Secret volume holds them (the key in
   * SEC1 form, "EC PRIVATE KEY").
   */
  private static Certificates.Issued mount(Path dir, Certificates.Issued ca, Instant from)
      throws IOException {
    Certificates.Issued c =
        Certificates.issue(ca, List.of("127.0.0.1"), from, from.plus(Duration.ofDays(30)));
    // SEC1 with the named curve, as openssl and cert-manager write it.
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(c.key().getEncoded());
    ASN1ObjectIdentifier curve =
        ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
    byte[] sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) c.key()).getS(), curve)
            .getEncoded();
    StringWriter key = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(key)) {
      w.writeObject(new PemObject("EC PRIVATE KEY", sec1));
    }
    Files.writeString(dir.resolve("tls.key.tmp"), key.toString());
    Files.writeString(dir.resolve("tls.crt.tmp"), Pem.encode(List.of(c.certificate())));
    Files.move(
        dir.resolve("tls.key.tmp"), dir.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        dir.resolve("tls.crt.tmp"), dir.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
    return c;
  }

  private static OperatorRuntime replica(String ns, String config, String identity) {
    return withWebhook(
        new OperatorSettings(
            Set.of(ns), true, "dbbinding-operator", ns, identity, Duration.ofSeconds(5)),
        new WebhookSettings(
            true, 0, "dbbinding-webhook", SECRET, config, List.of("127.0.0.1"), Optional.empty()));
  }

  private static HttpResponse<String> readiness(OperatorRuntime r) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<X509Certificate> certificates(String pem) {
    try {
      return new ArrayList<>(Pem.certificates(pem));
    } catch (Pem.InvalidPemException e) {
      throw new AssertionError(e);
    }
  }
}
