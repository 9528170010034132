package io.dbbinding.migrate;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * A Flyway version such as {@code 5}, {@code 1.10} or {@code 2_1}, compared as Flyway compares
 * them: part by part as numbers, so {@code 1.10} comes after {@code 1.9} and before {@code 2}, and
 * {@code 1.0} equals {@code 1}.
 */
public record SchemaVersion(List<BigInteger> parts) implements Comparable<SchemaVersion> {

  public SchemaVersion {
    parts = List.copyOf(parts);
  }

  public static SchemaVersion parse(String text) {
    String t = text.strip().replace('_', '.');
    if (!t.matches("[0-9]+(\\.[0-9]+)*")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a version; expected numbers separated by dots, such as 1.2");
    }
    return new SchemaVersion(Arrays.stream(t.split("\\.")).map(BigInteger::new).toList());
  }

  @Override
  public int compareTo(SchemaVersion other) {
    int n = Math.max(parts.size(), other.parts.size());
    for (int i = 0; i < n; i++) {
      BigInteger a = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
      BigInteger b = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
      int c = a.compareTo(b);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  public boolean isAtLeast(SchemaVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    List<BigInteger> trimmed = parts;
    int end = trimmed.size();
    while (end > 1 && trimmed.get(end - 1).signum() == 0) {
      end--;
    }
    return trimmed.subList(0, end).hashCode();
  }

  @Override
  public String toString() {
    return String.join(".", parts.stream().map(BigInteger::toString).toList());
  }
}
