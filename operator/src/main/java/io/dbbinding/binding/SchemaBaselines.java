package io.dbbinding.binding;

import io.dbbinding.migrate.CompactSnapshot;
import io.dbbinding.migrate.SchemaSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * Each binding's baseline schema, object by object, as the last migration left it: held in the
 * operator's memory only (the status keeps just its fingerprint, small in an informer cache of
 * 1,000 bindings), so that a drift can name the objects that changed. Lost on a restart: until a
 * migration or the undoing of the drift gives a new one, a drift is reported without names.
 */
final class SchemaBaselines {
  /**
   * @param history the history table's fingerprint when it was taken: another one means migrations
   *     ran since (by this operator or anyone), and the schema they left is the new baseline
   * @param schema the schema, compact
   */
  record Baseline(String history, CompactSnapshot schema) {
    Baseline(String history, SchemaSnapshot snapshot) {
      this(history, CompactSnapshot.of(snapshot));
    }

    SchemaSnapshot snapshot() {
      return schema.expand();
    }
  }

  private final ConcurrentMap<String, Baseline> baselines = new ConcurrentHashMap<>();

  Optional<Baseline> get(String key) {
    return Optional.ofNullable(baselines.get(key));
  }

  void put(String key, Baseline baseline) {
    baselines.put(key, baseline);
  }

  void forget(String key) {
    baselines.remove(key);
  }

  /** Keeps only what belongs to one of the {@code current} bindings. */
  void retainOnly(Stream<DatabaseBinding> current) {
    List<DatabaseBinding> bindings = current.toList();
    MigrationMemory.retain(baselines, bindings.stream());
  }
}
