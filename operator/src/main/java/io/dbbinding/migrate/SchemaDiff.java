package io.dbbinding.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What differs between a baseline schema and the live one, object by object: pure, so that the
 * operator's SchemaDrift message and {@code dbbinding diff} name the same objects the same way.
 *
 * @param added objects the live schema has and the baseline has not, sorted by name
 * @param removed objects the baseline has and the live schema has not, sorted by name
 * @param changed objects both have with another definition, sorted by name
 */
public record SchemaDiff(List<String> added, List<String> removed, List<String> changed) {
  /** How many objects a one-line message names before "and N more". */
  public static final int NAMED_IN_MESSAGE = 3;

  public SchemaDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** Compares {@code live} with {@code baseline}. */
  public static SchemaDiff between(SchemaSnapshot baseline, SchemaSnapshot live) {
    Map<String, String> was = baseline.objects();
    Map<String, String> now = live.objects();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    // Both maps are sorted, so each list comes out sorted by name.
    was.forEach(
        (name, digest) -> {
          String other = now.get(name);
          if (other == null) {
            removed.add(name);
          } else if (!other.equals(digest)) {
            changed.add(name);
          }
        });
    now.keySet().stream().filter(name -> !was.containsKey(name)).forEach(added::add);
    return new SchemaDiff(added, removed, changed);
  }

  public boolean inSync() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  /** How many objects differ. */
  public int size() {
    return added.size() + removed.size() + changed.size();
  }

  /**
   * The differences on one line, removed first (what most often breaks the application), then
   * changed, then added, the first {@link #NAMED_IN_MESSAGE} by name: "column public.orders.note
   * removed, index public.orders_idx changed, and 3 more"; empty when in sync.
   */
  public String describe() {
    List<String> all = new ArrayList<>();
    removed.forEach(name -> all.add(name + " removed"));
    changed.forEach(name -> all.add(name + " changed"));
    added.forEach(name -> all.add(name + " added"));
    if (all.size() <= NAMED_IN_MESSAGE) {
      return String.join(", ", all);
    }
    return String.join(", ", all.subList(0, NAMED_IN_MESSAGE))
        + ", and "
        + (all.size() - NAMED_IN_MESSAGE)
        + " more";
  }
}
