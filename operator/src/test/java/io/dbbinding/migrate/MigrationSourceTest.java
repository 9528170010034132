package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.dbbinding.migrate.MigrationError.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationSourceTest {

  private static MigrationError refused(MigrationSource source) {
    try {
      source.load();
    } catch (MigrationError e) {
      return e;
    }
    throw new AssertionError("expected the source to be refused");
  }

  @Test
  void foldersAreReadRecursivelyAndOtherFilesIgnored(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("V1__init.sql"), "CREATE TABLE a (id int);");
    Files.createDirectories(dir.resolve("later"));
    Files.writeString(dir.resolve("later/V2__more.sql"), "CREATE TABLE b (id int);");
    Files.writeString(dir.resolve("README.md"), "# notes");
    List<MigrationFile> files = MigrationSource.folders(List.of(dir)).load();
    assertThat(files)
        .extracting(MigrationFile::name)
        .containsExactly("V1__init.sql", "later/V2__more.sql");
    assertThat(files.get(1).fileName()).isEqualTo("V2__more.sql");
    assertThat(files.get(1).version()).map(Object::toString).contains("2");
  }

  @Test
  void aMountedConfigMapIsReadOnceThroughItsLinks(@TempDir Path dir) throws IOException {
    // How the kubelet writes a ConfigMap volume: the files in a hidden timestamped folder, a
    // hidden ..data link to it, and one visible link per key.
    Path data = Files.createDirectories(dir.resolve("..2026_11_25_04_00_00.123456789"));
    Files.writeString(data.resolve("V1__init.sql"), "CREATE TABLE a (id int);");
    Files.writeString(data.resolve("R__view.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1;");
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    for (String key : List.of("V1__init.sql", "R__view.sql")) {
      Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
    }
    Files.writeString(dir.resolve(".V9__editor_backup.sql"), "DROP TABLE a;");

    List<MigrationFile> files = MigrationSource.folders(List.of(dir)).load();
    assertThat(files)
        .extracting(MigrationFile::name)
        .containsExactlyInAnyOrder("V1__init.sql", "R__view.sql");
  }

  @Test
  void aMissingFolderIsSourceNotFound(@TempDir Path dir) {
    MigrationError e = refused(MigrationSource.folders(List.of(dir.resolve("nope"))));
    assertThat(e.reason()).isEqualTo(Reason.SOURCE_NOT_FOUND);
    assertThat(e.getMessage())
        .isEqualTo("migration folder " + dir.resolve("nope") + " does not exist");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "V1_init.sql",
        "v1__init.sql",
        "V1__.sql",
        "init.sql",
        "V1.x__a.sql",
        "R_views.sql",
        "V1__A.SQL"
      })
  void badNamesAreRefusedNamingTheFile(String name) {
    MigrationError e = refused(MigrationSource.inMemory("test", Map.of(name, "SELECT 1;")));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_MIGRATION_NAME);
    assertThat(e.getMessage())
        .startsWith(name + " is not a migration name")
        .contains("V<version>__<description>.sql");
  }

  @Test
  void twoFilesWithOneVersionAreRefused() {
    MigrationError e =
        refused(
            MigrationSource.inMemory(
                "t", Map.of("V1__a.sql", "SELECT 1;", "V1.0__b.sql", "SELECT 2;")));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_MIGRATION_NAME);
    assertThat(e.getMessage())
        .contains("V1.0__b.sql")
        .contains("V1__a.sql")
        .contains("same version");
  }

  @Test
  void emptyAndBlankFilesAreRefused() {
    assertThat(refused(MigrationSource.inMemory("t", Map.of("V1__a.sql", ""))).reason())
        .isEqualTo(Reason.INVALID_MIGRATION_FILE);
    MigrationError e =
        refused(MigrationSource.inMemory("t", Map.of("V1__a.sql", "\uFEFF \n\t\r\n")));
    assertThat(e.getMessage()).isEqualTo("V1__a.sql is empty; give it SQL or remove it");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused(@TempDir Path dir) throws IOException {
    Files.write(
        dir.resolve("V1__latin1.sql"), "SELECT 'caf\u00e9';".getBytes(StandardCharsets.ISO_8859_1));
    MigrationError e = refused(MigrationSource.folders(List.of(dir)));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_MIGRATION_FILE);
    assertThat(e.getMessage()).isEqualTo("V1__latin1.sql is not UTF-8 text; save it as UTF-8");
  }

  @Test
  void aBrokenLinkNamedLikeAMigrationIsRefusedNotSkipped(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("V1__init.sql"), "SELECT 1;");
    Files.createSymbolicLink(dir.resolve("V2__gone.sql"), dir.resolve("nowhere.sql"));
    MigrationError e = refused(MigrationSource.folders(List.of(dir)));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_MIGRATION_FILE);
    assertThat(e.getMessage()).isEqualTo("cannot read V2__gone.sql (NoSuchFileException)");
  }

  @Test
  void anUnreadableFileIsRefusedNamingIt(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("V1__secret.sql"), "SELECT 1;");
    Files.setPosixFilePermissions(file, Set.of());
    // root reads any file whatever its mode: the broken-link test covers that machine
    assumeFalse(Files.isReadable(file), "this user can read a file with mode 000");
    MigrationError e = refused(MigrationSource.folders(List.of(dir)));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_MIGRATION_FILE);
    assertThat(e.getMessage()).isEqualTo("cannot read V1__secret.sql (AccessDeniedException)");
  }

  @Test
  void aHugeFileIsRefusedBeforeAnythingIsApplied() {
    String huge = "SELECT 1;\n".repeat(2_000_000);
    MigrationError e = refused(MigrationSource.inMemory("t", Map.of("V1__huge.sql", huge)));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_MIGRATION_FILE);
    assertThat(e.getMessage())
        .isEqualTo("V1__huge.sql is larger than 16 MiB; split it into several migrations");
  }

  @Test
  void aByteOrderMarkAndCrlfLoad(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("V1__bom.sql"), "\uFEFFCREATE TABLE a (id int);\r\nSELECT 1;\r\n");
    assertThat(MigrationSource.folders(List.of(dir)).load()).hasSize(1);
  }

  @Test
  void classpathLocationsLoad() {
    List<MigrationFile> files =
        MigrationSource.classpath("classpath:migrations-on-classpath").load();
    assertThat(files).extracting(MigrationFile::name).containsExactly("V1__from_classpath.sql");
    assertThat(MigrationSource.classpath("migrations-on-classpath").describe())
        .isEqualTo("classpath:migrations-on-classpath");
    assertThat(refused(MigrationSource.classpath("classpath:no/such/place")).reason())
        .isEqualTo(Reason.SOURCE_NOT_FOUND);
  }

  @Test
  void classpathLocationsInsideJarsLoad() {
    // Flyway's own jar holds no .sql under this prefix, but the listing must work inside a jar.
    assertThat(MigrationSource.classpath("org/flywaydb/core/api").load()).isEmpty();
  }

  @Test
  void optionsAreChecked() {
    assertThat(MigrationOptions.defaults().target()).isEqualTo("latest");
    assertThat(new MigrationOptions("app", "hist", "1.2", true).target()).isEqualTo("1.2");
    assertThatThrownBy(() -> new MigrationOptions("app", "hist", "newest", false))
        .isInstanceOf(MigrationError.class)
        .hasMessage("target must be latest or a version such as 3 or 1.2, got 'newest'");
    assertThatThrownBy(() -> new MigrationOptions("", "hist", "latest", false))
        .hasMessage("the schema must not be empty");
    assertThatThrownBy(() -> new MigrationOptions("s", " ", "latest", false))
        .hasMessage("the table must not be empty");
    assertThat(Reason.MIGRATION_FAILED.permanent()).isFalse();
    assertThat(Reason.CHECKSUM_MISMATCH.permanent()).isTrue();
  }
}
