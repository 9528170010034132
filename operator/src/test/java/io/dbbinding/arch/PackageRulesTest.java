package io.dbbinding.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The design's table of which package may use which, kept by the build. */
class PackageRulesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dbbinding");
  }

  private static void mayOnlyUse(String pkg, String... allowed) {
    String[] others =
        java.util.Arrays.stream(
                new String[] {
                  "config",
                  "logging",
                  "db",
                  "health",
                  "migrate",
                  "binding",
                  "readiness",
                  "webhook",
                  "cli",
                  "lint"
                })
            .filter(p -> !p.equals(pkg) && !java.util.Arrays.asList(allowed).contains(p))
            .map(p -> "io.dbbinding." + p + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("io.dbbinding." + pkg + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because("the design says " + pkg + " may use only " + String.join(", ", allowed))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void configUsesNothingOfOurs() {
    mayOnlyUse("config");
  }

  @Test
  void loggingUsesOnlyConfig() {
    mayOnlyUse("logging", "config");
  }

  @Test
  void dbUsesOnlyConfig() {
    mayOnlyUse("db", "config");
  }

  @Test
  void healthNeverDragsInTheOperator() {
    mayOnlyUse("health", "config", "db", "migrate");
    noClasses()
        .that()
        .resideInAPackage("io.dbbinding.health..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "org.flywaydb..")
        .because("the sidecar starts without the Kubernetes client or Flyway")
        .check(classes);
  }

  @Test
  void migrateUsesOnlyConfigAndDb() {
    mayOnlyUse("migrate", "config", "db");
  }

  @Test
  void bindingUsesOnlyConfigDbMigrateAndLint() {
    mayOnlyUse("binding", "config", "db", "migrate", "lint");
  }

  @Test
  void lintUsesOnlyMigrateAndConfig() {
    mayOnlyUse("lint", "migrate", "config");
  }

  @Test
  void readinessUsesOnlyBinding() {
    mayOnlyUse("readiness", "binding");
  }

  @Test
  void webhookUsesOnlyConfigAndTheGatesNames() {
    mayOnlyUse("webhook", "config", "readiness");
  }
}
