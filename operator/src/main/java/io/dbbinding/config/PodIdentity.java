package io.dbbinding.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pod a process runs in, as far as it can tell: {@code POD_NAME} and {@code POD_NAMESPACE} (the
 * downward API) when set, else the host name (a pod's is its name) and the service account's
 * namespace file.
 *
 * @param namespace empty off a cluster (no variable, no file)
 * @param pod the pod's or the host's name
 */
public record PodIdentity(String namespace, String pod) {
  /** Where Kubernetes mounts the namespace of a pod's service account. */
  public static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  public static PodIdentity load(SettingSource source, Path namespaceFile) {
    String pod = source.get("POD_NAME").or(() -> source.get("HOSTNAME")).orElse("cli");
    String namespace = source.get("POD_NAMESPACE").orElseGet(() -> read(namespaceFile));
    return new PodIdentity(namespace, pod);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return ""; // not in a pod
    }
  }
}
