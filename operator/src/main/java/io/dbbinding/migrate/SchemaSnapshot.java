package io.dbbinding.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schema as PostgreSQL's catalogs describe it ({@link SchemaCatalog}): one digest of each
 * object's definition, by the object's name (such as {@code column public.orders.note}), and an
 * overall fingerprint of them all. Holds no data, only definitions.
 *
 * @param schema the schema it describes
 * @param objects each object's digest, by {@code "<kind> <schema>.<name>"}, sorted
 * @param fingerprint a hash of every object and its digest: equal fingerprints, equal schemas
 */
public record SchemaSnapshot(String schema, Map<String, String> objects, String fingerprint) {
  public SchemaSnapshot {
    objects = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(objects));
  }

  /** A snapshot of {@code objects}, its fingerprint computed from them. */
  public static SchemaSnapshot of(String schema, Map<String, String> objects) {
    TreeMap<String, String> sorted = new TreeMap<>(objects);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    sorted.forEach(
        (name, digest) -> {
          sha.update(name.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
          sha.update(digest.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) '\n');
        });
    // 32 hex digits: enough to tell two schemas apart, small in a status of 1,000 bindings.
    return new SchemaSnapshot(
        schema, sorted, HexFormat.of().formatHex(sha.digest()).substring(0, 32));
  }
}
