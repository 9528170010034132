package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The operator's routes, driven without an operator: what each state of it answers. */
class OperatorEndpointsTest {
  private final AtomicBoolean synced = new AtomicBoolean();
  private final AtomicReference<Optional<String>> webhook = new AtomicReference<>(Optional.empty());
  private final AtomicInteger scrapes = new AtomicInteger();
  private final Router router =
      new OperatorEndpoints(
              synced::get,
              webhook::get,
              () -> "dbbinding_leader 1.0\n# scrape " + scrapes.incrementAndGet() + "\n")
          .router();

  private Response get(String path) {
    return router.dispatch(new Request("GET", path, Map.of()));
  }

  @Test
  void liveWhateverTheInformersAndTheWebhookSay() {
    webhook.set(Optional.of("no certificate loaded yet"));
    Response live = get("/health");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.bodyText()).isEqualTo("{\"status\":\"healthy\",\"service\":\"operator\"}");
    assertThat(router.isProbe("/health")).isTrue();
  }

  @Test
  void readyOnlyOnceTheInformersAreSyncedAndTheWebhookCanBeCalled() {
    webhook.set(Optional.of("no certificate loaded yet"));
    Response unsynced = get("/health/ready");
    assertThat(unsynced.status()).isEqualTo(503);
    assertThat(unsynced.bodyText()).isEqualTo("{\"detail\":\"Informers not synced\"}");

    synced.set(true);
    Response untrusted = get("/health/ready");
    assertThat(untrusted.status()).isEqualTo(503);
    assertThat(untrusted.bodyText()).isEqualTo("{\"detail\":\"no certificate loaded yet\"}");

    webhook.set(Optional.empty());
    Response ready = get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.bodyText()).isEqualTo("{\"status\":\"ready\",\"service\":\"operator\"}");
    assertThat(router.isProbe("/health/ready")).isTrue();
  }

  @Test
  void metricsAreScrapedAfreshOnEveryRequest() {
    Response first = get("/metrics");
    Response second = get("/metrics");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(first.bodyText()).contains("dbbinding_leader 1.0", "# scrape 1");
    assertThat(second.bodyText()).contains("# scrape 2");
    assertThat(router.isProbe("/metrics")).isFalse();
  }

  @Test
  void nothingElseIsServed() {
    assertThat(router.paths()).containsExactly("/health", "/health/ready", "/metrics");
    assertThat(get("/").status()).isEqualTo(404);
  }
}
