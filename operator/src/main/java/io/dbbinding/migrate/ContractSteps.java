package io.dbbinding.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Finds the contract steps among migration files and what may be applied before one. Pure: the
 * operator and {@code dbbinding migrate} both decide with it.
 *
 * <p>A contract step's expand version is the highest version below it of a migration that is not a
 * contract step: the version new code declares as its {@code required-schema-version}. Declaring
 * the contract version instead would make the rollout and the contract step wait for each other.
 */
public final class ContractSteps {
  private ContractSteps() {}

  /** Every contract step of {@code files}, in version order, with its expand version. */
  public static List<ContractStep> of(List<MigrationFile> files) {
    TreeMap<SchemaVersion, MigrationFile> versioned = versioned(files);
    List<ContractStep> steps = new ArrayList<>();
    SchemaVersion expand = null;
    for (Map.Entry<SchemaVersion, MigrationFile> e : versioned.entrySet()) {
      MigrationFile f = e.getValue();
      if (f.isContract()) {
        steps.add(new ContractStep(f.name(), e.getKey(), expand));
      } else {
        expand = e.getKey();
      }
    }
    return List.copyOf(steps);
  }

  /**
   * The contract steps not applied yet and within the target, in order.
   *
   * @param schemaVersion the schema's version now; null when nothing is applied
   * @param target {@link MigrationOptions#LATEST} or the highest version to apply
   */
  public static List<ContractStep> pending(
      List<MigrationFile> files, String schemaVersion, String target) {
    Optional<SchemaVersion> current = Optional.ofNullable(schemaVersion).map(SchemaVersion::parse);
    Optional<SchemaVersion> limit =
        MigrationOptions.LATEST.equals(target)
            ? Optional.empty()
            : Optional.of(SchemaVersion.parse(target));
    return of(files).stream()
        .filter(s -> current.map(c -> s.version().compareTo(c) > 0).orElse(true))
        .filter(s -> limit.map(l -> l.isAtLeast(s.version())).orElse(true))
        .toList();
  }

  /**
   * What may be applied while {@code held} waits: the versioned migrations below it, and the
   * repeatable ones (applied after them, as always). Flyway applies in version order, so everything
   * from {@code held} on waits with it.
   */
  public static List<MigrationFile> before(List<MigrationFile> files, ContractStep held) {
    return files.stream()
        .filter(f -> f.version().map(v -> v.compareTo(held.version()) < 0).orElse(true))
        .toList();
  }

  /** The files {@link #before} keeps, as a source described like the original one. */
  public static MigrationSource before(MigrationSource source, ContractStep held) {
    List<MigrationFile> files = before(source.load(), held);
    return MigrationSource.inMemory(
        source.describe(),
        files.stream().collect(Collectors.toMap(MigrationFile::name, MigrationFile::sql)));
  }

  /** The script names of the contract steps, to mark them in {@code info}. */
  public static Set<String> scripts(List<MigrationFile> files) {
    return of(files).stream().map(ContractStep::script).collect(Collectors.toSet());
  }

  private static TreeMap<SchemaVersion, MigrationFile> versioned(List<MigrationFile> files) {
    TreeMap<SchemaVersion, MigrationFile> out = new TreeMap<>();
    for (MigrationFile f : files) {
      f.version().ifPresent(v -> out.put(v, f));
    }
    return out;
  }
}
