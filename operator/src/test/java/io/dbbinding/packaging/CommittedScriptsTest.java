package io.dbbinding.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scripts as git holds them, which is what a user's clone gets: a script the docs tell people
 * to run must have its run bit in the commit (a working tree with {@code chmod +x} proves nothing,
 * and {@code .ci/run} calling it through {@code bash} would never notice).
 */
class CommittedScriptsTest {
  private static final Path ROOT = Path.of("..");

  /** A script named the way the docs name one to run: ./dbbinding, e2e/node.sh, .ci/run ... */
  private static final Pattern RUN_IN_DOCS =
      Pattern.compile("(?<![\\w/.-])(?:\\./)?((?:e2e|\\.ci)/[\\w-]+(?:\\.sh)?|dbbinding|mvnw)\\b");

  /** path to mode, from {@code git ls-files -s} (the index: what the next commit holds). */
  private static Map<String, String> committedModes() throws IOException, InterruptedException {
    Process git =
        new ProcessBuilder("git", "ls-files", "-s")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(git.exitValue()).as("git ls-files -s: %s", out).isZero();
    Map<String, String> modes = new TreeMap<>();
    for (String line : out.lines().toList()) {
      // "100755 <sha> 0\t<path>"
      String[] modeAndPath = line.split("\t", 2);
      modes.put(modeAndPath[1], modeAndPath[0].split(" ")[0]);
    }
    return modes;
  }

  @Test
  void everyCommittedFileWithAShebangIsCommittedExecutable() throws Exception {
    Map<String, String> modes = committedModes();
    Map<String, String> notExecutable = new TreeMap<>();
    for (Map.Entry<String, String> e : modes.entrySet()) {
      Path file = ROOT.resolve(e.getKey());
      if (!Files.isRegularFile(file) || Files.size(file) < 2) {
        continue;
      }
      byte[] head = new byte[2];
      try (var in = Files.newInputStream(file)) {
        if (in.read(head) == 2 && head[0] == '#' && head[1] == '!') {
          if (!e.getValue().equals("100755")) {
            notExecutable.put(e.getKey(), e.getValue());
          }
        }
      }
    }
    assertThat(notExecutable).as("git update-index --chmod=+x on these").isEmpty();
  }

  @Test
  void everyScriptTheDocsTellUsersToRunIsCommittedExecutable() throws Exception {
    Map<String, String> modes = committedModes();
    Map<String, String> named = new TreeMap<>();
    for (Path doc : docs()) {
      Matcher m = RUN_IN_DOCS.matcher(Files.readString(doc, StandardCharsets.UTF_8));
      while (m.find()) {
        String path = m.group(1);
        // A library the scripts source (it says so in its first line) is named, not run.
        if (modes.containsKey(path)
            && !firstLine(ROOT.resolve(path)).startsWith("# shellcheck shell=")) {
          named.put(path, modes.get(path));
        }
      }
    }
    assertThat(named).as("the scripts the docs name").containsKeys("e2e/node.sh", "dbbinding");
    assertThat(named).allSatisfy((path, mode) -> assertThat(mode).as(path).isEqualTo("100755"));
  }

  private static String firstLine(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().orElse("");
    }
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    Path dir = ROOT.resolve("docs");
    if (Files.isDirectory(dir)) {
      try (var list = Files.list(dir)) {
        list.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
      }
    }
    return docs;
  }
}
