package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.SettingSource;
import io.dbbinding.migrate.RunName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name the CLI gives its sessions: its pod, so that the operator can release a dead one's. */
class CliRunNameTest {
  @TempDir Path dir;

  @Test
  void theDownwardApiNamesThePod() {
    String name =
        CliRunName.applicationName(
            SettingSource.of(
                Map.of("POD_NAME", "orders-6d5f-abcde", "POD_NAMESPACE", "shop", "HOSTNAME", "h")),
            dir.resolve("none"));
    assertThat(name).isEqualTo("dbbinding:shop/orders-6d5f-abcde|");
    assertThat(RunName.owner(name)).contains(new RunName("shop", "orders-6d5f-abcde", ""));
  }

  @Test
  void elseTheHostNameAndTheServiceAccountsNamespace() throws Exception {
    Path ns = Files.writeString(dir.resolve("namespace"), "shop\n");
    String name =
        CliRunName.applicationName(SettingSource.of(Map.of("HOSTNAME", "orders-6d5f-x")), ns);
    assertThat(RunName.owner(name)).contains(new RunName("shop", "orders-6d5f-x", ""));
  }

  @Test
  void offAClusterItNamesTheHostAndIsNeverAnOwner() {
    String name =
        CliRunName.applicationName(
            SettingSource.of(Map.of("HOSTNAME", "laptop")), dir.resolve("none"));
    assertThat(name).isEqualTo("dbbinding:laptop");
    assertThat(RunName.owner(name)).isEmpty();
  }
}
