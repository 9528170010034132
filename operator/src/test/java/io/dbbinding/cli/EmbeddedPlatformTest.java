package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which machines get an embedded PostgreSQL, and that the build really carries each one's. */
class EmbeddedPlatformTest {

  @Test
  void theLaptopsPeopleHaveAreSupportedAsTheirJvmsNameThem() {
    assertThat(EmbeddedPlatform.of("Linux", "amd64"))
        .map(EmbeddedPlatform::label)
        .hasValue("Linux x86-64");
    assertThat(EmbeddedPlatform.of("Linux", "aarch64"))
        .map(EmbeddedPlatform::label)
        .hasValue("Linux arm64");
    assertThat(EmbeddedPlatform.of("Mac OS X", "x86_64"))
        .map(EmbeddedPlatform::label)
        .hasValue("macOS x86-64");
    assertThat(EmbeddedPlatform.of("Mac OS X", "aarch64"))
        .map(EmbeddedPlatform::resource)
        .hasValue("postgres-darwin-arm_64.txz");
    assertThat(EmbeddedPlatform.of("Windows 11", "amd64")).isEmpty();
    assertThat(EmbeddedPlatform.of("Linux", "ppc64le")).isEmpty();
  }

  @Test
  void anUnsupportedMachineGetsOneLineNamingItAndTheSupportedOnes() {
    String problem =
        EmbeddedPlatform.problem("Windows 11", "amd64", getClass().getClassLoader()).orElseThrow();
    assertThat(problem.lines()).hasSize(1);
    assertThat(problem)
        .startsWith("no embedded PostgreSQL for Windows 11 on amd64")
        .contains("Linux x86-64", "Linux arm64", "macOS x86-64", "macOS arm64")
        .contains("DATABASE_URL");
  }

  @Test
  void aBuildWithoutTheBinariesSaysSoInOneLine() throws Exception {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      String problem = EmbeddedPlatform.problem("Linux", "amd64", empty).orElseThrow();
      assertThat(problem.lines()).hasSize(1);
      assertThat(problem).contains("Linux x86-64", "postgres-linux-x86_64.txz");
    }
  }

  /**
   * The jars {@code ./dbbinding} runs with (Maven's runtime class path, which target/lib copies)
   * hold the PostgreSQL archive of every supported platform, not just this machine's.
   */
  @Test
  void whatDbbindingRunsCarriesEverySupportedPlatformsBinaries() throws Exception {
    List<URL> jars = new ArrayList<>();
    for (String entry :
        Files.readString(Path.of("target", "runtime-classpath.txt"))
            .strip()
            .split(File.pathSeparator)) {
      jars.add(Path.of(entry).toUri().toURL());
    }
    try (URLClassLoader runtime = new URLClassLoader(jars.toArray(URL[]::new), null)) {
      assertThat(EmbeddedPlatform.SUPPORTED).hasSize(4);
      for (EmbeddedPlatform p : EmbeddedPlatform.SUPPORTED) {
        assertThat(runtime.getResource(p.resource())).as(p.label()).isNotNull();
      }
      assertThat(EmbeddedPlatform.problem("Linux", "amd64", runtime)).isEmpty();
      assertThat(EmbeddedPlatform.problem("Mac OS X", "aarch64", runtime)).isEmpty();
    }
  }
}
