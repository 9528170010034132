package io.dbbinding.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The table of packages in docs/architecture.md, kept by the build: each row is a rule on the code,
 * every package of the code has a row, and every package-info.java says what its row says. So the
 * rules cannot change without the docs, nor the docs without the rules.
 */
class PackageRulesTest {
  private static final String ROOT = "io.dbbinding";
  private static final Path SOURCES = Path.of("src", "main", "java", "io", "dbbinding");

  private static JavaClasses classes;
  private static PackageMap map;

  @BeforeAll
  static void load() throws IOException {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    map = PackageMap.read();
  }

  @TestFactory
  Stream<DynamicTest> eachPackageUsesOnlyWhatItsRowAllows() {
    return map.rows().values().stream()
        .map(
            row ->
                dynamicTest(
                    row.name() + " may use " + row.mayUse(), () -> mayUseOnlyItsRow(row.name())));
  }

  private static void mayUseOnlyItsRow(String pkg) {
    PackageMap.Row row = map.rows().get(pkg);
    Set<String> ours = map.mayNotUse(pkg);
    if (!ours.isEmpty()) {
      noClasses()
          .that()
          .resideInAPackage(ROOT + "." + pkg + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ours.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new))
          .because("docs/architecture.md says " + pkg + " may use " + row.mayUse())
          .allowEmptyShould(true)
          .check(classes);
    }
    if (!row.mustNotUse().isEmpty()) {
      noClasses()
          .that()
          .resideInAPackage(ROOT + "." + pkg + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(row.mustNotUse().stream().map(p -> p + "..").toArray(String[]::new))
          .because("docs/architecture.md says " + pkg + " must not use " + row.mustNotUse())
          .check(classes);
    }
  }

  /**
   * A floor under the table for the rule the sidecar stands on: it starts without the Kubernetes
   * client, java-operator-sdk or Flyway, and without the operator's packages.
   */
  @Test
  void theSidecarsPackageNeverDragsInTheOperator() {
    assertThat(map.mayUse("health")).isSubsetOf("config", "db", "migrate");
    assertThat(map.rows().get("health").mustNotUse())
        .contains("io.fabric8", "io.javaoperatorsdk", "org.flywaydb");
  }

  @Test
  void everyPackageOfTheCodeHasARowAndEveryRowAPackage() {
    Set<String> inCode =
        classes.stream()
            .map(JavaClass::getPackageName)
            .filter(p -> p.startsWith(ROOT))
            .map(p -> p.equals(ROOT) ? ROOT : p.substring(ROOT.length() + 1).split("\\.")[0])
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(map.rows().keySet())
        .as("the packages of docs/architecture.md's table")
        .containsExactlyInAnyOrderElementsOf(inCode);
  }

  @Test
  void everyPackageInfoSaysWhatItsRowSays() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (PackageMap.Row row : map.rows().values()) {
      Path file = SOURCES.resolve(row.name()).resolve("package-info.java");
      if (!Files.exists(file)) {
        wrong.add(file + " is missing");
        continue;
      }
      String text = Files.readString(file);
      Optional<String> mayUse = PackageMap.sentence(text, "May use");
      if (mayUse.isEmpty()) {
        wrong.add(file + " has no sentence \"May use: ...\"");
      } else if (!map.uses(mayUse.get(), row.name()).equals(map.mayUse(row.name()))) {
        wrong.add(file + " says may use " + mayUse.get() + "; the table, " + row.mayUse());
      }
      Set<String> mustNotUse =
          PackageMap.sentence(text, "Must not use").map(PackageMap::names).orElse(Set.of());
      if (!mustNotUse.equals(row.mustNotUse())) {
        wrong.add(file + " says must not use " + mustNotUse + "; the table, " + row.mustNotUse());
      }
    }
    assertThat(wrong)
        .as("package-info.java files that disagree with docs/architecture.md")
        .isEmpty();
  }
}
