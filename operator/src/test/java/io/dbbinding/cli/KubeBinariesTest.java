package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.testing.FreePorts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the playground finds kube-apiserver, etcd and kubectl, and how fast it gives up. */
class KubeBinariesTest {
  @TempDir Path dir;

  @Test
  void theNewestCompleteCachedVersionOfThisPlatformIsUsed() throws IOException {
    KubeBinaries binaries = new KubeBinaries(dir, "linux-amd64");
    assertThat(binaries.cachedVersion()).isEmpty();

    install("1.33.2-linux-amd64", "kube-apiserver", "etcd", "kubectl");
    install("1.34.4-linux-amd64", "kube-apiserver", "etcd", "kubectl");
    install("1.34.10-linux-amd64", "kube-apiserver", "etcd"); // no kubectl: half a download
    install("1.35.0-darwin-arm64", "kube-apiserver", "etcd", "kubectl");

    assertThat(binaries.cachedVersion()).contains("1.34.4");
    assertThat(binaries.versionDirectory("1.34.4"))
        .isEqualTo(dir.resolve("k8s").resolve("1.34.4-linux-amd64"));

    install("1.34.10-linux-amd64", "kubectl");
    assertThat(binaries.cachedVersion()).as("1.34.10 is after 1.34.4").contains("1.34.10");
  }

  @Test
  void platformsAreNamedAsKubeApiTestNamesThem() {
    assertThat(KubeBinaries.platformOf("Linux", "amd64")).isEqualTo("linux-amd64");
    assertThat(KubeBinaries.platformOf("Linux", "aarch64")).isEqualTo("linux-arm64");
    assertThat(KubeBinaries.platformOf("Mac OS X", "aarch64")).isEqualTo("darwin-arm64");
    assertThat(KubeBinaries.platformOf("Windows 11", "amd64")).isEqualTo("windows-amd64");
  }

  @Test
  void kubeApiTestDirWins() {
    assertThat(KubeBinaries.of(Optional.of(dir.toString())).directory()).isEqualTo(dir);
    assertThat(KubeBinaries.of(Optional.empty()).directory())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".kubeapitest"));
  }

  @Test
  void aDownloadSiteThatNeverAnswersIsGivenUpWithinTheTimeout() throws IOException {
    // Accepts connections (the kernel does, into its backlog) and never says a word.
    try (ServerSocket silent = new ServerSocket(0)) {
      long start = System.nanoTime();
      Optional<String> why =
          KubeBinaries.unreachable(
              URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/index.yaml"),
              Duration.ofSeconds(1));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("127.0.0.1"));
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aClosedPortIsUnreachable() throws IOException {
    int closed = FreePorts.any();
    assertThat(
            KubeBinaries.unreachable(
                URI.create("http://127.0.0.1:" + closed + "/"), Duration.ofSeconds(2)))
        .hasValueSatisfying(w -> assertThat(w).contains("unreachable"));
  }

  private void install(String version, String... names) throws IOException {
    Path d = Files.createDirectories(dir.resolve("k8s").resolve(version));
    for (String name : names) {
      Files.createFile(
          d.resolve(name),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
  }
}
