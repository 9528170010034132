package io.dbbinding.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the playground's kube-apiserver, etcd and kubectl come from: a version already in the cache
 * ({@code ~/.kubeapitest/k8s/<version>-<os>-<arch>}, where kube-api-test keeps what it downloads
 * and {@code .ci/kube-binaries.sh} puts what it builds), else a download, which is tried only when
 * the download site answers within a few seconds: a laptop offline hears so at once instead of
 * waiting on a socket.
 *
 * @param directory the kube-api-test directory ({@code KUBE_API_TEST_DIR}, else {@code
 *     ~/.kubeapitest})
 * @param platform the directory suffix of this machine, such as {@code linux-amd64}
 */
record KubeBinaries(Path directory, String platform) {
  /** The minor version the operator is tested with; a download takes its newest patch. */
  static final String DOWNLOAD_VERSION = "1.34.*";

  /** What kube-api-test reads first when it downloads: the index of envtest releases. */
  static final URI DOWNLOAD_INDEX =
      URI.create(
          "https://raw.githubusercontent.com/kubernetes-sigs/controller-tools/HEAD/envtest-releases.yaml");

  private static final List<String> BINARIES = List.of("kube-apiserver", "etcd", "kubectl");

  static KubeBinaries of(Optional<String> kubeApiTestDir) {
    Path dir =
        kubeApiTestDir
            .filter(d -> !d.isBlank())
            .map(Path::of)
            .orElseGet(() -> Path.of(System.getProperty("user.home"), ".kubeapitest"));
    return new KubeBinaries(
        dir, platformOf(System.getProperty("os.name"), System.getProperty("os.arch")));
  }

  /** The platform as kube-api-test names its directories. */
  static String platformOf(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    os = os.contains("win") ? "windows" : os.contains("mac") ? "darwin" : os;
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "aarch64" -> "arm64";
          case "ppc64" -> "ppc64le";
          default -> "amd64";
        };
    return os + "-" + arch;
  }

  /** The newest cached version that has all three binaries, if any. */
  Optional<String> cachedVersion() {
    Path k8s = directory.resolve("k8s");
    if (!Files.isDirectory(k8s)) {
      return Optional.empty();
    }
    String suffix = "-" + platform;
    try (Stream<Path> dirs = Files.list(k8s)) {
      return dirs.filter(d -> d.getFileName().toString().endsWith(suffix))
          .filter(d -> BINARIES.stream().allMatch(b -> Files.isExecutable(d.resolve(b))))
          .map(d -> d.getFileName().toString())
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .filter(v -> v.matches("\\d+(\\.\\d+)*"))
          .max(KubeBinaries::compareVersions);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The directory of one cached version. */
  Path versionDirectory(String version) {
    return directory.resolve("k8s").resolve(version + "-" + platform);
  }

  static int compareVersions(String a, String b) {
    int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
    int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
    return Arrays.compare(x, y);
  }

  /**
   * Whether {@code index} answers within {@code timeout}: empty when it does, else why not in a few
   * words. kube-api-test itself opens its downloads with no timeout at all.
   */
  static Optional<String> unreachable(URI index, Duration timeout) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try (http) {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(index)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .timeout(timeout)
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() < 400
          ? Optional.empty()
          : Optional.of(index.getHost() + " answered " + response.statusCode());
    } catch (IOException e) {
      return Optional.of(
          index.getHost()
              + " is unreachable ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }
}
