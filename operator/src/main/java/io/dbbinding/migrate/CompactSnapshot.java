package io.dbbinding.migrate;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SchemaSnapshot} as the operator keeps it in memory for each binding between checks: the
 * object names in one UTF-8 byte array and the digests as longs, about 45 bytes an object instead
 * of about 170 as strings in a sorted map, so that a thousand bindings of a few hundred tables each
 * stay within an operator's heap. {@link #expand} gives the snapshot back for a comparison.
 */
public final class CompactSnapshot {
  private final String schema;
  private final String fingerprint;
  private final byte[] names;
  private final int[] ends;
  private final long[] digests;

  private CompactSnapshot(
      String schema, String fingerprint, byte[] names, int[] ends, long[] digests) {
    this.schema = schema;
    this.fingerprint = fingerprint;
    this.names = names;
    this.ends = ends;
    this.digests = digests;
  }

  /**
   * The compact form of {@code s}, whose digests are 16 hex digits as {@link SchemaCatalog} reads.
   */
  public static CompactSnapshot of(SchemaSnapshot s) {
    int n = s.objects().size();
    int[] ends = new int[n];
    long[] digests = new long[n];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n * 32);
    int i = 0;
    for (Map.Entry<String, String> e : s.objects().entrySet()) {
      out.writeBytes(e.getKey().getBytes(StandardCharsets.UTF_8));
      ends[i] = out.size();
      digests[i] = HexFormat.fromHexDigitsToLong(e.getValue());
      i++;
    }
    return new CompactSnapshot(s.schema(), s.fingerprint(), out.toByteArray(), ends, digests);
  }

  /** The snapshot this was made of, as it was. */
  public SchemaSnapshot expand() {
    Map<String, String> objects = new LinkedHashMap<>();
    int start = 0;
    for (int i = 0; i < ends.length; i++) {
      objects.put(
          new String(names, start, ends[i] - start, StandardCharsets.UTF_8),
          HexFormat.of().toHexDigits(digests[i]));
      start = ends[i];
    }
    return new SchemaSnapshot(schema, objects, fingerprint);
  }

  public String fingerprint() {
    return fingerprint;
  }

  /** About what it holds on the heap: its arrays and their headers. */
  public long bytes() {
    return 16L * 3 + names.length + 4L * ends.length + 8L * digests.length + 64;
  }
}
