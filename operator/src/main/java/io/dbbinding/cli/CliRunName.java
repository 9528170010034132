package io.dbbinding.cli;

import io.dbbinding.config.SettingSource;
import io.dbbinding.migrate.RunName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name the CLI gives its database sessions ({@link RunName}): its pod, so that a lock left by a
 * {@code dbbinding migrate} killed in an init container can be released by the operator once that
 * pod is gone. {@code POD_NAME} and {@code POD_NAMESPACE} (the downward API) when set, else the
 * host name (a pod's is its name) and the service account's namespace file; off a cluster, the host
 * name alone, which no operator ever looks up.
 */
final class CliRunName {
  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private CliRunName() {}

  static String applicationName(SettingSource env, Path namespaceFile) {
    String pod = env.get("POD_NAME").or(() -> env.get("HOSTNAME")).orElse("cli");
    String namespace = env.get("POD_NAMESPACE").orElseGet(() -> read(namespaceFile));
    return new RunName(namespace, pod, "").applicationName();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return ""; // not in a pod: the name says only the host
    }
  }
}
