package io.dbbinding.binding;

import io.dbbinding.migrate.InfoReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the last successful migration pass of each binding saw. While neither the files and options
 * nor the history table changed since, a periodic check needs one connection and two small queries,
 * not a Flyway run. Held by the operator for its lifetime; shared by concurrent reconciles.
 */
public final class MigrationMemory {
  /**
   * One binding's last pass.
   *
   * @param sourceFingerprint the files and options, hashed ({@link #fingerprint})
   * @param historyFingerprint the history table's fingerprint after the pass
   * @param migrations the MigrationsApplied step it came to
   * @param info the schema's state after it
   */
  public record Remembered(
      String sourceFingerprint, String historyFingerprint, Step migrations, InfoReport info) {}

  /**
   * A pass this recent is repeated as it was, Applied included: the reconcile that follows an apply
   * at once (the Secret's and ConfigMaps' informers report them too) is not a periodic check, and
   * turning Applied into UpToDate then would write every new binding's status twice.
   */
  static final java.time.Duration FRESH = BindingReconciler.MIN_CHECK_INTERVAL;

  private final ConcurrentMap<String, Remembered> passes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Instant> rememberedAt = new ConcurrentHashMap<>();
  private final java.time.Clock clock;

  public MigrationMemory(java.time.Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code key}'s last pass was remembered less than {@link #FRESH} ago. */
  public boolean fresh(String key) {
    Instant at = rememberedAt.get(key);
    return at != null && at.plus(FRESH).isAfter(clock.instant());
  }

  /** The last pass of {@code key}, when neither side changed since. */
  public Optional<Remembered> unchanged(String key, String sourceFingerprint, String history) {
    Remembered last = passes.get(key);
    return last != null
            && last.sourceFingerprint().equals(sourceFingerprint)
            && last.historyFingerprint().equals(history)
        ? Optional.of(last)
        : Optional.empty();
  }

  /**
   * After a restart, when nothing is remembered yet: the last successful pass as the binding's
   * status recorded it, while its {@code migrationsFingerprint} still matches the files, options
   * and history table. Re-verifying a thousand bindings then costs a thousand small queries, not a
   * thousand Flyway runs.
   */
  public Optional<Remembered> recorded(
      DatabaseBinding b, String sourceFingerprint, String history) {
    DatabaseBindingStatus status = b.getStatus();
    if (status == null
        || !fingerprint(sourceFingerprint, history).equals(status.getMigrationsFingerprint())) {
      return Optional.empty();
    }
    return Conditions.find(status.getConditions(), Reasons.MIGRATIONS_APPLIED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .map(
            c ->
                new Remembered(
                    sourceFingerprint,
                    history,
                    new Step(c.getStatus(), c.getReason(), c.getMessage()),
                    new InfoReport(
                        status.getSchemaVersion(),
                        zeroIfNull(status.getAppliedMigrations()),
                        zeroIfNull(status.getPendingMigrations()),
                        0,
                        status.getLastMigrationTime() == null
                            ? null
                            : Instant.parse(status.getLastMigrationTime()),
                        List.of())));
  }

  private static int zeroIfNull(Integer n) {
    return n == null ? 0 : n;
  }

  public void remember(String key, Remembered pass) {
    passes.put(key, pass);
    rememberedAt.put(key, clock.instant());
  }

  /** Forgets {@code key}: its next check runs Flyway again, which is only slower. */
  public void forget(String key) {
    passes.remove(key);
    rememberedAt.remove(key);
  }

  /** Keeps only what belongs to one of the {@code current} bindings. */
  public void retainOnly(Stream<DatabaseBinding> current) {
    List<DatabaseBinding> bindings = current.toList();
    retain(passes, bindings.stream());
    retain(rememberedAt, bindings.stream());
  }

  /** Keeps only the entries of {@code memory} whose key belongs to one of {@code current}. */
  static void retain(Map<String, ?> memory, Stream<DatabaseBinding> current) {
    Set<String> keys = current.map(MigrationMemory::key).collect(Collectors.toSet());
    memory.keySet().retainAll(keys);
  }

  /** A binding's key: a binding deleted and created again under the same name is another one. */
  static String key(DatabaseBinding b) {
    return b.getMetadata().getNamespace()
        + "/"
        + b.getMetadata().getName()
        + "/"
        + b.getMetadata().getUid();
  }

  /** What status.migrationsFingerprint records: the files and options, and the history after. */
  static String fingerprint(String sourceFingerprint, String history) {
    return sha256(sourceFingerprint + "\0" + history).substring(0, 32);
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Everything that decides what a migration pass would do, hashed. */
  static String fingerprint(MigrationFiles files, MigrationsSpec spec, boolean suspend) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    files
        .files()
        .forEach(
            (name, sql) -> {
              sha.update(name.getBytes(StandardCharsets.UTF_8));
              sha.update((byte) 0);
              sha.update(sql.getBytes(StandardCharsets.UTF_8));
              sha.update((byte) 0);
            });
    String options =
        String.join(
            "\0",
            spec.getSchema(),
            spec.getTable(),
            spec.getTarget(),
            String.valueOf(spec.isBaselineOnMigrate()),
            String.valueOf(suspend),
            String.valueOf(spec.timeouts()));
    sha.update(options.getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(sha.digest());
  }
}
