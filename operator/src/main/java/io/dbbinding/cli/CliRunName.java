package io.dbbinding.cli;

import io.dbbinding.config.PodIdentity;
import io.dbbinding.config.SettingSource;
import io.dbbinding.migrate.RunName;
import java.nio.file.Path;

/**
 * The name the CLI gives its database sessions ({@link RunName}): its pod ({@link PodIdentity}), so
 * that a lock left by a {@code dbbinding migrate} killed in an init container can be released by
 * the operator once that pod is gone. Off a cluster the host name alone, which no operator ever
 * looks up.
 */
final class CliRunName {
  static final Path SERVICE_ACCOUNT_NAMESPACE = PodIdentity.SERVICE_ACCOUNT_NAMESPACE;

  private CliRunName() {}

  static String applicationName(SettingSource env, Path namespaceFile) {
    PodIdentity pod = PodIdentity.load(env, namespaceFile);
    return new RunName(pod.namespace(), pod.pod(), "").applicationName();
  }
}
