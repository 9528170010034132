package io.dbbinding.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSettingsTest {
  private static WebhookSettings load(Map<String, String> env) {
    return WebhookSettings.load(SettingSource.of(env));
  }

  @Test
  void offByDefaultWithTheChartsDefaultNames() {
    WebhookSettings s = load(Map.of());
    assertThat(s).isEqualTo(WebhookSettings.disabled());
    assertThat(s.port()).isEqualTo(9443);
    assertThat(s.ownsCertificates()).isTrue();
  }

  @Test
  void theChartsValuesAreRead(@TempDir Path dir) {
    WebhookSettings s =
        load(
            Map.of(
                "WEBHOOK_ENABLED", "true",
                "WEBHOOK_PORT", "10443",
                "WEBHOOK_SERVICE", "dbb-dbbinding-webhook",
                "WEBHOOK_SECRET", "dbb-dbbinding-webhook-tls",
                "WEBHOOK_CONFIGURATION", "dbb-dbbinding",
                "WEBHOOK_CERT_HOSTS", " localhost, 127.0.0.1 ,::1",
                "WEBHOOK_CERT_DIR", dir.toString()));
    assertThat(s)
        .isEqualTo(
            new WebhookSettings(
                true,
                10443,
                "dbb-dbbinding-webhook",
                "dbb-dbbinding-webhook-tls",
                "dbb-dbbinding",
                List.of("localhost", "127.0.0.1", "::1"),
                Optional.of(dir)));
    assertThat(s.ownsCertificates()).isFalse();
  }

  @Test
  void badValuesStopTheStartWithTheVariableNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    for (var bad :
        List.of(
            Map.of("WEBHOOK_ENABLED", "maybe"),
            Map.of("WEBHOOK_PORT", "https"),
            Map.of("WEBHOOK_PORT", "70000"),
            Map.of("WEBHOOK_SERVICE", "Not_A_Name"),
            Map.of("WEBHOOK_SECRET", "a/b"),
            Map.of("WEBHOOK_CONFIGURATION", "-x"),
            Map.of("WEBHOOK_CERT_HOSTS", "good.example, bad host"),
            Map.of("WEBHOOK_ENABLED", "true", "WEBHOOK_CERT_DIR", file.toString()))) {
      String variable =
          bad.keySet().stream()
              .filter(k -> !k.equals("WEBHOOK_ENABLED") || bad.size() == 1)
              .findFirst()
              .orElseThrow();
      assertThatThrownBy(() -> load(bad))
          .as(bad.toString())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(variable + " must be");
    }
  }
}
