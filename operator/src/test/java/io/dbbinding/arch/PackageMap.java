package io.dbbinding.arch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The table of packages in docs/architecture.md, read as the rules it states: for each package of
 * {@code io.dbbinding}, the packages of ours it may use and the libraries it must not use. The
 * table is the one copy of the rules; {@link PackageRulesTest} enforces it and holds each
 * package-info.java to it.
 *
 * @param rows by package name, in the table's order
 */
record PackageMap(Map<String, Row> rows) {
  /** The page with the table, from the module's directory (where Maven runs the tests). */
  static final Path PAGE = Path.of("..", "docs", "architecture.md");

  /** A "may use" that allows every other package. */
  static final String EVERYTHING = "everything";

  /** A "may use" that allows none of ours. */
  static final String NOTHING = "nothing of ours";

  /**
   * One row of the table.
   *
   * @param name the package below {@code io.dbbinding}, such as {@code binding}
   * @param mayUse the names of the packages of ours it may use, as written
   * @param mustNotUse the package prefixes of libraries it must not use ({@code io.fabric8})
   */
  record Row(String name, String mayUse, Set<String> mustNotUse) {}

  static PackageMap read() throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (List<String> cells : tableRows(Files.readAllLines(PAGE))) {
      if (cells.size() < 4) {
        throw new IllegalStateException(PAGE + ": a row of the package table with too few cells");
      }
      String name = unquote(cells.get(0));
      rows.put(name, new Row(name, unquote(cells.get(2)), names(unquote(cells.get(3)))));
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException(PAGE + " has no table headed | package |");
    }
    return new PackageMap(rows);
  }

  /** The cells of the rows of the table whose first header cell is "package". */
  private static List<List<String>> tableRows(List<String> lines) {
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        inTable = false;
      } else if (line.matches("\\|\\s*package\\s*\\|.*")) {
        inTable = true;
      } else if (inTable && !line.startsWith("| ---")) {
        rows.add(
            Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|", -1))
                .map(String::strip)
                .toList());
      }
    }
    return rows;
  }

  /**
   * The packages of ours that {@code pkg} may use: every other one for {@link #EVERYTHING}, none
   * for {@link #NOTHING}, else the comma-separated names, each of which must have a row.
   */
  Set<String> mayUse(String pkg) {
    return uses(rows.get(pkg).mayUse(), pkg);
  }

  /** The same reading of a "may use" written elsewhere, such as in a package-info.java. */
  Set<String> uses(String text, String pkg) {
    Set<String> others = new TreeSet<>(rows.keySet());
    others.remove(pkg);
    if (text.equals(EVERYTHING)) {
      return others;
    }
    if (text.equals(NOTHING)) {
      return Set.of();
    }
    Set<String> named = names(text);
    if (!others.containsAll(named)) {
      throw new IllegalStateException(
          pkg
              + " may use \""
              + text
              + "\": not every one of these is another package of the table");
    }
    return named;
  }

  /** The packages of ours that {@code pkg} must not use: those of the table it may not use. */
  Set<String> mayNotUse(String pkg) {
    Set<String> others = new TreeSet<>(rows.keySet());
    others.remove(pkg);
    others.removeAll(mayUse(pkg));
    return others;
  }

  /**
   * What a package-info.java says in its sentence {@code label: ...}: the text up to the full stop
   * that ends the sentence (a dot followed by a space or the end, not the dots of {@code
   * io.fabric8}), empty when it has no such sentence.
   */
  static Optional<String> sentence(String packageInfo, String label) {
    String text =
        packageInfo
            .lines()
            .map(l -> l.strip().replaceFirst("^(/\\*\\*|\\*/|\\*)\\s?", "").replace("<p>", ""))
            .collect(Collectors.joining(" "));
    Matcher m = Pattern.compile(Pattern.quote(label) + ":\\s+(.+?)\\.(?:\\s|$)").matcher(text);
    return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
  }

  /** Comma-separated names, backquotes dropped; none for a blank. */
  static Set<String> names(String text) {
    return Arrays.stream(text.split(","))
        .map(PackageMap::unquote)
        .filter(n -> !n.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String unquote(String cell) {
    return cell.replace("`", "").strip();
  }
}
