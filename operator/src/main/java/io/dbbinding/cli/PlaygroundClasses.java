package io.dbbinding.cli;

import java.util.List;
import java.util.Optional;

/**
 * Whether the playground's libraries are on the class path. The production image deletes the
 * embedded PostgreSQL and kube-api-test jars; there the playground says so in one line instead of
 * failing with a NoClassDefFoundError.
 */
final class PlaygroundClasses {
  private static final List<String> REQUIRED =
      List.of(
          "io.zonky.test.db.postgres.embedded.EmbeddedPostgres",
          "io.fabric8.kubeapitest.KubeAPIServer",
          "org.bouncycastle.cert.X509CertificateHolder");

  private PlaygroundClasses() {}

  /** The first missing library, named for a person; empty when all are there. */
  static Optional<String> missing() {
    for (String name : REQUIRED) {
      try {
        Class.forName(name, false, PlaygroundClasses.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return Optional.of("no " + name.substring(0, name.lastIndexOf('.')) + " on the class path");
      }
    }
    return Optional.empty();
  }
}
