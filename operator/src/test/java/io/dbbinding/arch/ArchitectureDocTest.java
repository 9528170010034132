package io.dbbinding.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The data-flow picture of docs/architecture.md names classes that exist. */
class ArchitectureDocTest {
  /** A class name as the picture writes it: two or more capitalised words run together. */
  private static final Pattern CLASS = Pattern.compile("\\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\\b");

  /** Kubernetes kinds and other names of the picture that are not our classes. */
  private static final Set<String> NOT_OURS = Set.of("DatabaseBinding", "ConfigMaps", "ConfigMap");

  @Test
  void everyClassThePictureNamesExists() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "architecture.md"));
    int start = doc.indexOf("```text");
    String picture = doc.substring(start, doc.indexOf("```", start + 3));
    Set<String> named = new TreeSet<>();
    Matcher m = CLASS.matcher(picture);
    while (m.find()) {
      named.add(m.group());
    }
    named.removeAll(NOT_OURS);
    Set<String> classes;
    try (Stream<Path> files = Files.walk(Path.of("target", "classes", "io", "dbbinding"))) {
      classes =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.contains("$"))
              .map(n -> n.substring(0, n.length() - ".class".length()))
              .collect(Collectors.toSet());
    }
    assertThat(named).isNotEmpty();
    assertThat(classes).as("classes named in docs/architecture.md's picture").containsAll(named);
  }
}
