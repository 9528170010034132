package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD a user applies from crds/ must be the one fabric8's crd-generator makes from the model.
 * The build's crd-generator-maven-plugin writes {@code target/crd-generator-plugin/}; this test
 * writes {@code target/crds/} through the generator's API with the printer columns in declared
 * order, so that a changed model is one {@code cp} away from a committed CRD.
 */
class CrdIsCommittedTest {
  private static final String FILE = "databasebindings.dbbinding.io-v1.yml";
  private static final Path GENERATED = Path.of("target", "crds");

  @BeforeAll
  static void generate() throws IOException {
    Files.createDirectories(GENERATED);
    new CRDGenerator()
        .customResourceClasses(DatabaseBinding.class)
        .forCRDVersions("v1")
        .withMinQuotes(true)
        .withPostProcessor(new DeclaredColumnOrder())
        .inOutputDir(GENERATED.toFile())
        .generate();
  }

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path generated = GENERATED.resolve(FILE);
    assertThat(generated).exists();
    assertThat(Files.readString(Path.of("..", "crds", FILE)))
        .as("crds/%s is out of date: run cp operator/target/crds/%s crds/", FILE, FILE)
        .isEqualTo(Files.readString(generated));
  }

  @Test
  void theMavenPluginGeneratesTheSameCrdApartFromTheColumnOrder() throws IOException {
    Path plugin = Path.of("target", "crd-generator-plugin", FILE);
    assertThat(plugin).as("the build generates %s (process-classes)", plugin).exists();
    CustomResourceDefinition fromPlugin = read(plugin);
    new DeclaredColumnOrder().process(fromPlugin, "v1");
    assertThat(fromPlugin).isEqualTo(read(GENERATED.resolve(FILE)));
  }

  private static CustomResourceDefinition read(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
  }

  @Test
  void kubectlShowsTheColumnsInTheDesignsOrder() throws IOException {
    String crd = Files.readString(GENERATED.resolve(FILE));
    List<Integer> positions =
        List.of("Ready", "Schema", "Pending", "Provider", "Reason", "Age").stream()
            .map(name -> crd.indexOf("name: " + name + "\n"))
            .toList();
    assertThat(positions).doesNotContain(-1).isSorted();
  }

  /**
   * kubectl shows printer columns in the CRD's order, and the generator sorts them by JSON path
   * (Age first), with no attribute to say otherwise (fabric8io/kubernetes-client#7454). This puts
   * them back in the order DatabaseBinding declares them.
   */
  static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      List<String> declared =
          Arrays.stream(DatabaseBinding.class.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      for (CustomResourceDefinitionVersion v :
          ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        List<CustomResourceColumnDefinition> columns =
            new ArrayList<>(v.getAdditionalPrinterColumns());
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
        v.setAdditionalPrinterColumns(columns);
      }
      return crd;
    }
  }
}
