package io.dbbinding.cli;

import java.util.List;

/**
 * Whether the playground's libraries are on the class path: the embedded PostgreSQL ({@link
 * EmbeddedDatabase}) and kube-api-test with the Bouncy Castle it makes certificates with. The
 * production image deletes their jars; there the playground says so in one line instead of failing
 * with a NoClassDefFoundError. This class names none of their types, so it loads anywhere.
 */
final class PlaygroundClasses {
  private static final List<String> KUBE_API_TEST =
      List.of(
          "io.fabric8.kubeapitest.KubeAPIServer", "org.bouncycastle.cert.X509CertificateHolder");

  private PlaygroundClasses() {}

  static boolean areAvailable() {
    if (!EmbeddedDatabase.isAvailable()) {
      return false;
    }
    for (String name : KUBE_API_TEST) {
      try {
        Class.forName(name, false, PlaygroundClasses.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }
}
