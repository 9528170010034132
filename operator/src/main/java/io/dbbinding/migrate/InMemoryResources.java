package io.dbbinding.migrate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Hands Flyway the files already read and checked, whatever their source, instead of letting it
 * scan locations itself: one code path for folders, the classpath and ConfigMaps, and the same
 * script names (and checksums) in the history table whichever was used.
 */
final class InMemoryResources implements ResourceProvider {
  private final Map<String, LoadableResource> resources = new LinkedHashMap<>();
  private final Map<String, Boolean> inTransaction;

  InMemoryResources(List<MigrationFile> files) {
    this(files, Map.of());
  }

  /**
   * @param inTransaction by file name, whether Flyway runs it inside a transaction; given to Flyway
   *     as each file's script configuration ({@code V1__x.sql.conf}), so that this decision, not
   *     Flyway's guess, is the one applied
   */
  InMemoryResources(List<MigrationFile> files, Map<String, Boolean> inTransaction) {
    for (MigrationFile f : files) {
      resources.put(f.name(), new MigrationFileResource(f));
    }
    this.inTransaction = Map.copyOf(inTransaction);
  }

  boolean isEmpty() {
    return resources.isEmpty();
  }

  @Override
  public LoadableResource getResource(String name) {
    if (name.endsWith(CONF) && !resources.containsKey(name)) {
      String script = name.substring(0, name.length() - CONF.length());
      Boolean tx = inTransaction.get(script);
      return tx == null
          ? null
          : new MigrationFileResource(new MigrationFile(name, "executeInTransaction=" + tx + "\n"));
    }
    return resources.get(name);
  }

  private static final String CONF = ".conf";

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<LoadableResource> out = new ArrayList<>();
    for (LoadableResource r : resources.values()) {
      String file = r.getFilename();
      if (file.startsWith(prefix) && endsWithAny(file, suffixes)) {
        out.add(r);
      }
    }
    return out;
  }

  private static boolean endsWithAny(String name, String[] suffixes) {
    for (String s : suffixes) {
      if (name.endsWith(s)) {
        return true;
      }
    }
    return false;
  }
}
