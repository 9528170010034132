package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where migrations come from: folders, a classpath location, or files held in memory (the operator
 * fills these from ConfigMaps). Every source is read whole and checked before anything touches the
 * database: names, duplicate versions, encoding and emptiness.
 */
public sealed interface MigrationSource {

  /** The files, sorted by name and checked. */
  List<MigrationFile> load();

  /** Where the files come from, for messages. */
  String describe();

  static MigrationSource folders(List<Path> folders) {
    return new Folders(List.copyOf(folders));
  }

  static MigrationSource classpath(String location) {
    return new Classpath(location);
  }

  static MigrationSource inMemory(String description, Map<String, String> files) {
    return new InMemory(description, Collections.unmodifiableMap(new TreeMap<>(files)));
  }

  /** No files: for {@code info} against the history table alone. */
  static MigrationSource none() {
    return inMemory("no migration files", Map.of());
  }

  /**
   * Folders on disk, searched recursively; files other than {@code .sql} are ignored, and so is
   * everything hidden (a name starting with a dot): a mounted ConfigMap keeps its files in a hidden
   * {@code ..<timestamp>} folder behind one visible link per key, and editors leave dot-files.
   */
  record Folders(List<Path> folders) implements MigrationSource {
    @Override
    public List<MigrationFile> load() {
      List<MigrationFile> files = new ArrayList<>();
      for (Path folder : folders) {
        if (!Files.isDirectory(folder)) {
          throw new MigrationError(
              Reason.SOURCE_NOT_FOUND, "migration folder " + folder + " does not exist");
        }
        try (Stream<Path> walk = Files.walk(folder)) {
          // Not just regular files: a broken link or an unreadable file named like a migration
          // must fail loudly rather than be skipped, or a migration would silently go missing.
          for (Path p : walk.filter(p -> !Files.isDirectory(p)).sorted().toList()) {
            String relative = folder.relativize(p).toString().replace('\\', '/');
            if (isSql(relative) && !hidden(relative)) {
              files.add(Checks.file(relative, Checks.read(relative, p)));
            }
          }
        } catch (IOException e) {
          throw new MigrationError(
              Reason.SOURCE_NOT_FOUND,
              "cannot list migration folder " + folder + " (" + e.getClass().getSimpleName() + ")",
              e);
        }
      }
      return Checks.checked(files);
    }

    @Override
    public String describe() {
      return String.join(", ", folders.stream().map(Path::toString).toList());
    }

    private static boolean hidden(String relative) {
      return Arrays.stream(relative.split("/")).anyMatch(part -> part.startsWith("."));
    }
  }

  /** A folder on the class path, in a directory or inside a jar. */
  record Classpath(String location) implements MigrationSource {
    @Override
    public List<MigrationFile> load() {
      String prefix = location.replaceFirst("^classpath:", "").replaceAll("^/+|/+$", "");
      List<MigrationFile> files = new ArrayList<>();
      try {
        Enumeration<URL> roots =
            Thread.currentThread().getContextClassLoader().getResources(prefix);
        if (!roots.hasMoreElements()) {
          throw new MigrationError(
              Reason.SOURCE_NOT_FOUND, "classpath location " + prefix + " does not exist");
        }
        while (roots.hasMoreElements()) {
          URL root = roots.nextElement();
          if (root.getProtocol().equals("jar")) {
            JarURLConnection jar = (JarURLConnection) root.openConnection();
            jar.setUseCaches(false);
            try (JarFile file = jar.getJarFile()) {
              for (JarEntry e : Collections.list(file.entries())) {
                if (!e.isDirectory()
                    && e.getName().startsWith(prefix + "/")
                    && isSql(e.getName())) {
                  String relative = e.getName().substring(prefix.length() + 1);
                  try (InputStream in = file.getInputStream(e)) {
                    files.add(Checks.file(relative, Checks.text(relative, in.readAllBytes())));
                  }
                }
              }
            }
          } else {
            files.addAll(new Folders(List.of(Path.of(root.toURI()))).load());
          }
        }
      } catch (IOException | URISyntaxException e) {
        throw new MigrationError(
            Reason.SOURCE_NOT_FOUND, "cannot read classpath location " + prefix, e);
      }
      return Checks.checked(files);
    }

    @Override
    public String describe() {
      return "classpath:" + location.replaceFirst("^classpath:", "");
    }
  }

  /**
   * Files held in memory, name to SQL. Every entry must be a migration: a ConfigMap's keys are the
   * file names.
   */
  record InMemory(String description, Map<String, String> files) implements MigrationSource {
    @Override
    public List<MigrationFile> load() {
      List<MigrationFile> out = new ArrayList<>();
      files.forEach((name, sql) -> out.add(Checks.file(name, sql)));
      return Checks.checked(out);
    }

    @Override
    public String describe() {
      return description;
    }
  }

  private static boolean isSql(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".sql");
  }

  /** The checks every source applies. */
  final class Checks {
    private Checks() {}

    static String read(String name, Path path) {
      try {
        return text(name, Files.readAllBytes(path));
      } catch (IOException e) {
        throw new MigrationError(
            Reason.INVALID_MIGRATION_FILE,
            "cannot read " + name + " (" + e.getClass().getSimpleName() + ")",
            e);
      }
    }

    static String text(String name, byte[] bytes) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new MigrationError(
            Reason.INVALID_MIGRATION_FILE, name + " is not UTF-8 text; save it as UTF-8", e);
      }
    }

    /** Far above any real migration; a ConfigMap holds at most 1 MiB anyway. */
    static final int MAX_CHARS = 16 * 1024 * 1024;

    static MigrationFile file(String name, String sql) {
      MigrationFile file = new MigrationFile(name, sql);
      if (sql.length() > MAX_CHARS) {
        throw new MigrationError(
            Reason.INVALID_MIGRATION_FILE,
            file.fileName() + " is larger than 16 MiB; split it into several migrations");
      }
      if (!file.isMigrationName()) {
        throw new MigrationError(
            Reason.INVALID_MIGRATION_NAME,
            file.fileName()
                + " is not a migration name: expected V<version>__<description>.sql"
                + " (such as V1__create_orders.sql) or R__<description>.sql");
      }
      if (sql.replace("\uFEFF", "").isBlank()) {
        throw new MigrationError(
            Reason.INVALID_MIGRATION_FILE, file.fileName() + " is empty; give it SQL or remove it");
      }
      if (file.isContract() && file.version().isEmpty()) {
        throw new MigrationError(
            Reason.INVALID_MIGRATION_FILE,
            file.fileName()
                + " declares "
                + MigrationFile.CONTRACT_DIRECTIVE
                + ", which only a versioned migration (V<version>__...) may; remove the line");
      }
      return file;
    }

    static List<MigrationFile> checked(List<MigrationFile> files) {
      Map<SchemaVersion, String> seen = new HashMap<>();
      Map<String, String> repeatables = new HashMap<>();
      for (MigrationFile f : files) {
        if (f.version().isPresent()) {
          String other = seen.putIfAbsent(f.version().get(), f.name());
          if (other != null) {
            throw new MigrationError(
                Reason.INVALID_MIGRATION_NAME,
                other + " and " + f.name() + " have the same version " + f.version().get());
          }
        } else {
          String other = repeatables.putIfAbsent(f.fileName(), f.name());
          if (other != null) {
            throw new MigrationError(
                Reason.INVALID_MIGRATION_NAME,
                other + " and " + f.name() + " are the same repeatable migration");
          }
        }
      }
      List<MigrationFile> sorted = new ArrayList<>(files);
      sorted.sort(Comparator.comparing(MigrationFile::name));
      return List.copyOf(sorted);
    }
  }
}
