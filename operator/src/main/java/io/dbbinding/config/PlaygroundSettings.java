package io.dbbinding.config;

import java.util.Optional;

/**
 * What {@code dbbinding playground} reads besides the settings every role reads: where its
 * Kubernetes binaries are, whether it may download them, and where to look for kubectl. Read here,
 * with the other settings, so that one place holds every variable the code reads.
 *
 * @param kubeApiTestDir the folder of the kube-apiserver, etcd and kubectl binaries ({@code
 *     KUBE_API_TEST_DIR}, as kube-api-test names it); empty for {@code ~/.kubeapitest}
 * @param offline whether a download is forbidden ({@code KUBE_API_TEST_OFFLINE_MODE=true}, as
 *     kube-api-test spells it)
 * @param path the folders searched for a {@code kubectl} of the user's own ({@code PATH})
 */
public record PlaygroundSettings(Optional<String> kubeApiTestDir, boolean offline, String path) {

  public static PlaygroundSettings load(SettingSource source) {
    return new PlaygroundSettings(
        source.get("KUBE_API_TEST_DIR"),
        source.get("KUBE_API_TEST_OFFLINE_MODE").filter("true"::equalsIgnoreCase).isPresent(),
        source.get("PATH").orElse(""));
  }
}
