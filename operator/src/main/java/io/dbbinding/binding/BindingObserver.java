package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.AuthenticationError;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.DatabaseProbe;
import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.lint.MigrationLinter;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationError;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.migrate.SchemaHistory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * The database side of a reconcile: reads the Secret, connects within a bound, and applies (or,
 * when suspended, only inspects) the migrations from the ConfigMaps. It holds no connection
 * afterwards and never throws: every outcome is an {@link Observation}.
 */
public final class BindingObserver {
  /** Where Secrets and ConfigMaps come from: the informer caches, or the API in tests. */
  public interface Lookup {
    Optional<Secret> secret(String namespace, String name);

    Optional<ConfigMap> configMap(String namespace, String name);

    /** Appended to "not found": which Secrets and ConfigMaps can be found at all. */
    default String scope() {
      return "";
    }
  }

  /**
   * What the last successful migration pass of a binding saw: the files and options (as a
   * fingerprint), the history table's fingerprint after it, and the outcome. While neither changes,
   * a periodic check needs one connection and two small queries, not a Flyway run.
   */
  public record Remembered(
      String sourceFingerprint, String historyFingerprint, Step migrations, InfoReport info) {}

  private final Lookup lookup;
  private final Duration connectTimeout;
  private final ConcurrentMap<String, Remembered> memory;

  /**
   * @param memory what earlier reconciles saw, keyed by binding; shared across reconciles
   */
  public BindingObserver(
      Lookup lookup, Duration connectTimeout, ConcurrentMap<String, Remembered> memory) {
    this.lookup = lookup;
    this.connectTimeout = connectTimeout;
    this.memory = memory;
  }

  public Observation observe(DatabaseBinding binding) {
    String ns = binding.getMetadata().getNamespace();
    SecretKeyRef ref = binding.getSpec().getDatabase().getSecretRef();
    String key = ref.getKey() == null ? "DATABASE_URL" : ref.getKey();

    Optional<Secret> secret = lookup.secret(ns, ref.getName());
    if (secret.isEmpty()) {
      return unreached(
          Step.failed(
              Reasons.SECRET_NOT_FOUND,
              "Secret "
                  + ref.getName()
                  + " not found in namespace "
                  + ns
                  + lookup.scope()
                  + "; create it with the database URL under key "
                  + key),
          null,
          Retry.ON_CHANGE);
    }
    Optional<String> raw = secretValue(secret.get(), key);
    if (raw.isEmpty()) {
      return unreached(
          Step.failed(
              Reasons.SECRET_KEY_MISSING,
              "Secret " + ref.getName() + " has no key " + key + "; add the database URL under it"),
          null,
          Retry.ON_CHANGE);
    }
    DatabaseUrl url;
    try {
      url = DatabaseUrl.parse("Secret " + ref.getName() + " key " + key, raw.get());
    } catch (ConfigurationException e) {
      return unreached(
          Step.failed(Reasons.INVALID_DATABASE_URL, e.getMessage()), null, Retry.PERMANENT);
    }
    String provider = url.provider().id();

    DataSource dataSource = DataSources.unpooled(url, connectTimeout, Duration.ZERO);
    MigrationsSpec spec = binding.getSpec().getMigrations();
    Optional<SchemaHistory> history =
        Optional.ofNullable(spec).map(m -> new SchemaHistory(m.getSchema(), m.getTable()));
    String historyFingerprint;
    try (DatabaseProbe probe = new DatabaseProbe(dataSource::getConnection, connectTimeout, 1)) {
      historyFingerprint =
          probe.run(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                  rs.next();
                }
                return history.isPresent() ? history.get().fingerprint(c).orElse("") : "";
              });
    } catch (AuthenticationError e) {
      return unreached(
          Step.failed(
              Reasons.AUTHENTICATION_FAILED,
              e.getMessage() + " in Secret " + ref.getName() + " key " + key),
          provider,
          Retry.TRANSIENT);
    } catch (DatabaseError e) {
      return unreached(
          Step.failed(
              Reasons.UNREACHABLE,
              e.getMessage() + " at " + url.primaryHost().authority() + "; retrying with backoff"),
          provider,
          Retry.TRANSIENT);
    }
    Step reachable = Step.ok(Reasons.CONNECTED, "Connected to " + url.masked());

    if (spec == null) {
      return new Observation(
          reachable,
          Step.ok(Reasons.NOT_CONFIGURED, "No migrations configured; only reachability is checked"),
          provider,
          null,
          List.of(),
          Retry.NONE);
    }
    return migrate(binding, spec, dataSource, reachable, provider, historyFingerprint);
  }

  private Observation migrate(
      DatabaseBinding binding,
      MigrationsSpec spec,
      DataSource dataSource,
      Step reachable,
      String provider,
      String historyBefore) {
    String key = key(binding);
    String ns = binding.getMetadata().getNamespace();
    Map<String, String> files = new TreeMap<>();
    List<String> names = new ArrayList<>();
    for (ConfigMapRef ref : spec.getConfigMapRefs()) {
      if (names.contains(ref.getName())) {
        continue; // listed twice: its files are already in
      }
      names.add(ref.getName());
      Optional<ConfigMap> cm = lookup.configMap(ns, ref.getName());
      if (cm.isEmpty()) {
        return new Observation(
            reachable,
            Step.failed(
                Reasons.SOURCE_NOT_FOUND,
                "ConfigMap " + ref.getName() + " not found in namespace " + ns + lookup.scope()),
            provider,
            null,
            List.of(),
            Retry.ON_CHANGE);
      }
      Optional<String> clash = addFiles(files, cm.get());
      if (clash.isPresent()) {
        return new Observation(
            reachable,
            Step.failed(Reasons.INVALID_MIGRATION_NAME, clash.get()),
            provider,
            null,
            List.of(),
            Retry.PERMANENT);
      }
    }
    String sourceFingerprint = fingerprint(files, spec, binding.getSpec().isSuspend());
    Remembered last = memory.get(key);
    if (last != null
        && last.sourceFingerprint().equals(sourceFingerprint)
        && last.historyFingerprint().equals(historyBefore)) {
      // Nothing changed on either side since the last pass: no need for Flyway.
      Step same =
          Reasons.APPLIED.equals(last.migrations().reason())
              ? Step.ok(
                  Reasons.UP_TO_DATE, "Schema is at version " + shown(last.info().schemaVersion()))
              : last.migrations();
      return new Observation(reachable, same, provider, last.info(), List.of(), Retry.NONE);
    }
    memory.remove(key);
    MigrationSource source =
        MigrationSource.inMemory("ConfigMap " + String.join(", ", names), files);
    Migrator migrator =
        new Migrator(
            dataSource,
            new MigrationOptions(
                spec.getSchema(), spec.getTable(), spec.getTarget(), spec.isBaselineOnMigrate()),
            spec.timeouts());
    try {
      if (binding.getSpec().isSuspend()) {
        InfoReport info = migrator.info(source);
        Step step =
            info.pending() > 0
                ? Step.failed(
                    Reasons.PENDING,
                    info.pending()
                        + " migration(s) pending; suspend is true, so nothing is applied")
                : Step.ok(
                    Reasons.UP_TO_DATE, "Schema is at version " + shown(info.schemaVersion()));
        remember(key, sourceFingerprint, dataSource, spec, step, info);
        return new Observation(reachable, step, provider, info, List.of(), Retry.NONE);
      }
      LintMode lintMode = LintMode.parse(spec.getLint());
      InfoReport before = lintMode == LintMode.OFF ? null : migrator.info(source);
      LintReport lint =
          before == null
              ? new LintReport(0, List.of())
              : new MigrationLinter().lintPending(source.load(), before);
      if (!lint.clean() && lintMode == LintMode.BLOCK) {
        return new Observation(
            reachable,
            Step.failed(Reasons.UNSAFE_MIGRATION, unsafe(lint)),
            provider,
            before,
            List.of(),
            Retry.PERMANENT);
      }
      MigrationResult result = migrator.migrate(source);
      Step step =
          result.applied().isEmpty()
              ? Step.ok(Reasons.UP_TO_DATE, "Schema is at version " + shown(result.schemaVersion()))
              : Step.ok(
                  Reasons.APPLIED,
                  "Applied "
                      + String.join(", ", result.applied())
                      + "; schema version "
                      + shown(result.schemaVersion()));
      remember(key, sourceFingerprint, dataSource, spec, step, result.info());
      return new Observation(
          reachable,
          step,
          provider,
          result.info(),
          result.applied(),
          Retry.NONE,
          lint.summaryByScript().stream()
              .map(
                  line ->
                      line
                          + " breaks lint rules (see dbbinding lint); applied because"
                          + " spec.migrations.lint is warn")
              .toList());
    } catch (MigrationError e) {
      memory.remove(key);
      return new Observation(
          reachable,
          Step.failed(reasonOf(e.reason()), e.getMessage()),
          provider,
          infoAfterFailure(migrator, source),
          List.of(),
          retryOf(e.reason()));
    } catch (DatabaseError e) {
      return new Observation(
          Step.failed(Reasons.UNREACHABLE, e.getMessage() + "; retrying with backoff"),
          unknownMigrations(),
          provider,
          null,
          List.of(),
          Retry.TRANSIENT);
    }
  }

  /** The UnsafeMigration message: each file with its rules and lines, and the ways out. */
  private static String unsafe(LintReport lint) {
    return "Nothing applied: "
        + String.join("; ", lint.summaryByScript())
        + ". Fix the migration (dbbinding lint shows the safe alternative), or waive a rule with"
        + " '-- dbbinding:allow <rule>' on the line before the statement, or set"
        + " spec.migrations.lint to warn";
  }

  /**
   * What the database holds after a failed run (migrations before the failing one stay applied), so
   * that the status shows the real schema version and pending count; null when even that cannot be
   * read (a source that does not load, a database that went away).
   */
  private static InfoReport infoAfterFailure(Migrator migrator, MigrationSource source) {
    try {
      return migrator.info(source);
    } catch (DatabaseError e) { // MigrationError included
      return null;
    }
  }

  private void remember(
      String key,
      String sourceFingerprint,
      DataSource dataSource,
      MigrationsSpec spec,
      Step step,
      InfoReport info) {
    try (Connection c = dataSource.getConnection()) {
      String after = new SchemaHistory(spec.getSchema(), spec.getTable()).fingerprint(c).orElse("");
      memory.put(key, new Remembered(sourceFingerprint, after, step, info));
    } catch (SQLException e) {
      // Not remembered: the next check runs Flyway again, which is only slower.
      memory.remove(key);
    }
  }

  static String key(DatabaseBinding b) {
    return b.getMetadata().getNamespace()
        + "/"
        + b.getMetadata().getName()
        + "/"
        + b.getMetadata().getUid();
  }

  /** Everything that decides what a migration pass would do, hashed. */
  static String fingerprint(Map<String, String> files, MigrationsSpec spec, boolean suspend) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    files.forEach(
        (name, sql) -> {
          sha.update(name.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
          sha.update(sql.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
        });
    String options =
        spec.getSchema()
            + "\0"
            + spec.getTable()
            + "\0"
            + spec.getTarget()
            + "\0"
            + spec.isBaselineOnMigrate()
            + "\0"
            + suspend
            + "\0"
            + spec.timeouts();
    sha.update(options.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest());
  }

  static String reasonOf(MigrationError.Reason reason) {
    return switch (reason) {
      case CHECKSUM_MISMATCH -> Reasons.CHECKSUM_MISMATCH;
      case SOURCE_NOT_FOUND -> Reasons.SOURCE_NOT_FOUND;
      case INVALID_MIGRATION_NAME, INVALID_MIGRATION_FILE -> Reasons.INVALID_MIGRATION_NAME;
      case MIGRATION_FAILED, MISSING_MIGRATION, INVALID_CONFIGURATION, MIXED_TRANSACTION ->
          Reasons.MIGRATION_FAILED;
      case LOCK_TIMEOUT -> Reasons.LOCK_TIMEOUT;
      case INVALID_INDEX -> Reasons.INVALID_INDEX;
    };
  }

  static Retry retryOf(MigrationError.Reason reason) {
    return switch (reason) {
      case MIGRATION_FAILED, LOCK_TIMEOUT -> Retry.TRANSIENT;
      case SOURCE_NOT_FOUND -> Retry.ON_CHANGE;
      default -> Retry.PERMANENT;
    };
  }

  /**
   * Adds a ConfigMap's files; {@code binaryData} values must be UTF-8. Returns a message when a
   * file is in two ConfigMaps or is not text.
   */
  private static Optional<String> addFiles(Map<String, String> files, ConfigMap cm) {
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    for (Map.Entry<String, String> e : data.entrySet()) {
      if (files.putIfAbsent(e.getKey(), e.getValue()) != null) {
        return Optional.of(
            e.getKey() + " is in more than one ConfigMap; keep each migration in one");
      }
    }
    Map<String, String> binary = cm.getBinaryData() == null ? Map.of() : cm.getBinaryData();
    for (Map.Entry<String, String> e : binary.entrySet()) {
      Optional<String> text = utf8(Base64.getDecoder().decode(e.getValue()));
      if (text.isEmpty()) {
        return Optional.of(
            e.getKey() + " in ConfigMap " + cm.getMetadata().getName() + " is not UTF-8 text");
      }
      if (files.putIfAbsent(e.getKey(), text.get()) != null) {
        return Optional.of(
            e.getKey() + " is in more than one ConfigMap; keep each migration in one");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> secretValue(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return utf8(Base64.getDecoder().decode(secret.getData().get(key)))
            .map(String::strip)
            .filter(v -> !v.isEmpty());
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return Optional.of(secret.getStringData().get(key).strip()).filter(v -> !v.isEmpty());
    }
    return Optional.empty();
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static Observation unreached(Step reachable, String provider, Retry retry) {
    return new Observation(reachable, unknownMigrations(), provider, null, List.of(), retry);
  }

  private static Step unknownMigrations() {
    return Step.unknown(
        Reasons.DATABASE_NOT_REACHABLE, "Migrations are checked once the database is reachable");
  }

  private static String shown(String version) {
    return version == null ? "none" : version;
  }
}
