package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.DatabaseUrl;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The inputs a binding names, read from the API server's objects: the database URL from its Secret
 * and the migration files from its ConfigMaps. A missing or malformed input is a failed {@link
 * Read} that tells the user what to create or fix.
 */
public final class BindingInputs {
  private final ResourceLookup lookup;

  public BindingInputs(ResourceLookup lookup) {
    this.lookup = lookup;
  }

  /** The database URL under the Secret's key. */
  public Read<DatabaseUrl> databaseUrl(DatabaseBinding binding) {
    String ns = binding.getMetadata().getNamespace();
    SecretKeyRef ref = binding.getSpec().getDatabase().getSecretRef();
    String key = secretKey(binding);
    Optional<Secret> secret = lookup.secret(ns, ref.getName());
    if (secret.isEmpty()) {
      return Read.failed(
          Reasons.SECRET_NOT_FOUND,
          "Secret %s not found in namespace %s%s; create it with the database URL under key %s"
              .formatted(ref.getName(), ns, lookup.scope(), key),
          Retry.ON_CHANGE);
    }
    Optional<String> raw = secretValue(secret.get(), key);
    if (raw.isEmpty()) {
      return Read.failed(
          Reasons.SECRET_KEY_MISSING,
          "Secret %s has no key %s; add the database URL under it".formatted(ref.getName(), key),
          Retry.ON_CHANGE);
    }
    try {
      return Read.ok(DatabaseUrl.parse("Secret " + ref.getName() + " key " + key, raw.get()));
    } catch (ConfigurationException e) {
      return Read.failed(Reasons.INVALID_DATABASE_URL, e.getMessage(), Retry.PERMANENT);
    }
  }

  /** Where the URL was read from, for messages: {@code Secret db key DATABASE_URL}. */
  public static String secretKey(DatabaseBinding binding) {
    SecretKeyRef ref = binding.getSpec().getDatabase().getSecretRef();
    return ref.getKey() == null ? "DATABASE_URL" : ref.getKey();
  }

  /**
   * The files of every ConfigMap the spec lists (one listed twice counts once); {@code binaryData}
   * values must be UTF-8.
   */
  public Read<MigrationFiles> migrationFiles(DatabaseBinding binding, MigrationsSpec spec) {
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
        return Read.failed(
            Reasons.SOURCE_NOT_FOUND,
            "ConfigMap " + ref.getName() + " not found in namespace " + ns + lookup.scope(),
            Retry.ON_CHANGE);
      }
      Optional<String> clash = addFiles(files, cm.get());
      if (clash.isPresent()) {
        return Read.failed(Reasons.INVALID_MIGRATION_NAME, clash.get(), Retry.PERMANENT);
      }
    }
    return Read.ok(new MigrationFiles(files, names));
  }

  /** Adds a ConfigMap's files; returns a message when a file is in two ConfigMaps or not text. */
  private static Optional<String> addFiles(Map<String, String> files, ConfigMap cm) {
    String twice = " is in more than one ConfigMap; keep each migration in one";
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    for (Map.Entry<String, String> e : data.entrySet()) {
      if (files.putIfAbsent(e.getKey(), e.getValue()) != null) {
        return Optional.of(e.getKey() + twice);
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
        return Optional.of(e.getKey() + twice);
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
}
