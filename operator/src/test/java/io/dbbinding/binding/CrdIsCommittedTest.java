package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD a user applies from crds/ must be the one the build generates from the model. */
class CrdIsCommittedTest {
  private static final String FILE = "databasebindings.dbbinding.io-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path generated = Path.of("target", "crds", FILE);
    Path committed = Path.of("..", "crds", FILE);
    assertThat(generated).as("the build generates %s (process-classes)", generated).exists();
    assertThat(Files.readString(committed))
        .as("crds/%s is out of date: run cp operator/target/crds/%s crds/", FILE, FILE)
        .isEqualTo(Files.readString(generated));
  }
}
