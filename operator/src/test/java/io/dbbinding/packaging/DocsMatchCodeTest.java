package io.dbbinding.packaging;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dbbinding.cli.CliContext;
import io.dbbinding.cli.Main;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.PlaygroundSettings;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.config.WebhookSettings;
import io.dbbinding.testing.RenderableChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs (README.md and docs/*.md) checked against the code they describe, so that a setting,
 * command or Helm value that is added, renamed or removed cannot leave them behind. What the docs
 * name is read from their text (inline code, fenced blocks, tables); what exists is read from the
 * code itself: the settings code run against a source that records what it is asked for, picocli's
 * model of {@code dbbinding}, the chart's {@code values.yaml} and the chart as Helm renders it.
 */
class DocsMatchCodeTest {
  private static final Path ROOT = Path.of("..");
  private static final Path CHART = ROOT.resolve("helm").resolve("dbbinding");

  /**
   * Variables the code reads that the platform sets (Kubernetes, the shell), with why the code
   * reads them: the docs explain them, but nobody puts them in a .env file.
   */
  private static final Map<String, String> PLATFORM =
      Map.of(
          "HOSTNAME", "the operator's identity in the Lease when POD_NAME is unset",
          "KUBERNETES_SERVICE_HOST", "set in every pod: the operator runs in a cluster",
          "PATH", "where the playground looks for a kubectl of the user's own");

  /**
   * Setting-like names the docs show that belong to something other than the Java code, each with a
   * file of the repository that reads, sets or explains it. An entry whose file no longer names it
   * fails, so this list cannot keep a name that nothing uses.
   */
  private static final String TEST_DATABASES =
      "operator/src/test/java/io/dbbinding/testing/TestDatabases.java";

  /** Variables the docs name that are not dbbinding's settings, each with a file that reads it. */
  private static final Map<String, String> NOT_OURS =
      Map.ofEntries(
          Map.entry("JAVA_HOME", ".ci/java.sh"),
          Map.entry("JAVA_OPTS", "operator/src/main/docker/entrypoint.sh"),
          Map.entry("JDK_JAVA_OPTIONS", "operator/src/main/docker/entrypoint.sh"),
          Map.entry("TEST_DATABASE_URL", TEST_DATABASES),
          Map.entry("TEST_DATABASE_REQUIRE", TEST_DATABASES),
          Map.entry("TEST_POSTGRES_IMAGE", TEST_DATABASES),
          Map.entry("TESTCONTAINERS_HOST_OVERRIDE", "e2e/docker.sh"),
          // docker compose's own variables, with their defaults in the file.
          Map.entry("POSTGRES_IMAGE", "docker-compose.yml"),
          Map.entry("POSTGRES_HOST_PORT", "docker-compose.yml"),
          Map.entry("SIDECAR_HOST_PORT", "docker-compose.yml"),
          Map.entry("DBBINDING_IMAGE", "docker-compose.yml"),
          Map.entry("DBBINDING_BUILD_IMAGE", "docker-compose.yml"),
          Map.entry("DBBINDING_RUNTIME_IMAGE", "docker-compose.yml"));

  /**
   * The chart's values table, which helm-docs writes from the comments of values.yaml: the docs
   * link to it rather than keep a copy, and until it is generated that link has no file behind it.
   */
  private static final Path VALUES_TABLE = CHART.resolve("README.md").normalize();

  /**
   * Inline code that is an UPPER_SNAKE name with at least one underscore, alone or set: how the
   * docs write a setting ({@code DB_POOL_SIZE}, {@code LOG_FORMAT=text}).
   */
  private static final Pattern SNAKE_ALONE_OR_SET =
      Pattern.compile("([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=.*)?");

  /** A variable set on a command line or in a .env line: {@code LOG_FORMAT=json ./dbbinding}. */
  private static final Pattern ASSIGNMENT = Pattern.compile("(?<![\\w$./-])([A-Z][A-Z0-9_]*)=");

  /** A container's environment variable in a manifest: {@code - name: DATABASE_URL}. */
  private static final Pattern ENV_ENTRY = Pattern.compile("\\bname: ([A-Z][A-Z0-9_]*)\\b");

  /**
   * {@code dbbinding <command>} and {@code ./dbbinding <command>}; not a path or an image such as
   * {@code helm/dbbinding}, and not a release name followed by a chart ({@code helm install
   * dbbinding oci://...}).
   */
  private static final Pattern COMMAND =
      Pattern.compile("(?<![\\w/.-])(?:\\./)?dbbinding[ \\t]+([a-z][a-z-]*)(?![\\w/.-]|://)");

  /** {@code --set KEY=...} and its -string and -json forms, the key quoted or not. */
  private static final Pattern SET =
      Pattern.compile("--set(?:-string|-json)?[ =]+'?([A-Za-z][\\w.]*?)(?:\\[\\d+])?=");

  /** {@code .Values.KEY} as a template writes it, or {@code values.KEY}. */
  private static final Pattern VALUES =
      Pattern.compile("(?<![\\w/-])\\.?[Vv]alues\\.([A-Za-z]\\w*(?:\\.[A-Za-z]\\w*)*)");

  /** Inline code that is a dotted path, alone or set: {@code webhook.enabled: false}. */
  private static final Pattern DOTTED =
      Pattern.compile("([a-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)+)(?:\\s*[:=].*)?");

  /** One Markdown file: its prose (fenced blocks removed), its fenced blocks, its inline code. */
  record Doc(String name, String prose, List<String> fenced, List<String> inline) {
    static Doc read(Path file) throws IOException {
      StringBuilder prose = new StringBuilder();
      List<String> fenced = new ArrayList<>();
      StringBuilder block = null;
      for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
        if (line.stripLeading().startsWith("```")) {
          if (block == null) {
            block = new StringBuilder();
          } else {
            fenced.add(block.toString());
            block = null;
          }
        } else if (block != null) {
          block.append(line).append('\n');
        } else {
          prose.append(line).append('\n');
        }
      }
      List<String> inline = new ArrayList<>();
      // Inline code may wrap onto the next line of the source; read it as one line.
      Pattern.compile("`([^`]+)`")
          .matcher(prose)
          .results()
          .forEach(r -> inline.add(r.group(1).replaceAll("\\s*\\n\\s*", " ")));
      return new Doc(ROOT.relativize(file).toString(), prose.toString(), fenced, inline);
    }

    /** The code a reader would type or see: fenced blocks and inline code. */
    Stream<String> code() {
      return Stream.concat(fenced.stream(), inline.stream());
    }

    String text() {
      return prose + String.join("\n", fenced);
    }

    /** The cells of each row of each table whose first header cell is {@code header}. */
    List<List<String>> rowsOfTables(String header) {
      List<List<String>> rows = new ArrayList<>();
      boolean inTable = false;
      boolean wanted = false;
      for (String line : prose.split("\n")) {
        if (!line.startsWith("|")) {
          inTable = false;
          continue;
        }
        List<String> cells =
            Stream.of(line.substring(1).split("(?<!\\\\)\\|", -1)).map(String::strip).toList();
        if (!inTable) {
          inTable = true;
          wanted = cells.getFirst().equals(header);
        } else if (wanted && !cells.getFirst().startsWith("---")) {
          rows.add(cells);
        }
      }
      return rows;
    }
  }

  private static List<Doc> docs() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> list = Files.list(ROOT.resolve("docs"))) {
      list.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Doc> docs = new ArrayList<>();
    for (Path file : files) {
      docs.add(Doc.read(file));
    }
    return docs;
  }

  /**
   * Every variable the settings code reads, from that code: each loader run against a source that
   * records the names it is asked for. With nothing set, every loader asks for every one of its
   * variables (a fallback such as HOSTNAME for POD_NAME is asked for exactly then).
   */
  static Set<String> variablesTheCodeReads() {
    Set<String> asked = new TreeSet<>();
    SettingSource source = SettingSource.of(Map.of()).observed(asked::add);
    Settings settings = Settings.load(source);
    OperatorSettings.load(source, settings);
    WebhookSettings.load(source);
    PlaygroundSettings.load(source);
    return asked;
  }

  /** Where each name occurs: name to the docs that show it. */
  private static Map<String, Set<String>> occurrences(List<Doc> docs, Map<Doc, Set<String>> found) {
    Map<String, Set<String>> where = new TreeMap<>();
    for (Doc doc : docs) {
      for (String name : found.get(doc)) {
        where.computeIfAbsent(name, n -> new TreeSet<>()).add(doc.name());
      }
    }
    return where;
  }

  private static boolean mentions(String text, String name) {
    return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])")
        .matcher(text)
        .find();
  }

  /**
   * The completeness of {@link #variablesTheCodeReads}: the environment reaches the code only
   * through a SettingSource, which only the settings code asks.
   */
  @Test
  void onlyTheSettingsCodeReadsTheEnvironment() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dbbinding");
    noClasses()
        .that()
        .resideOutsideOfPackage("io.dbbinding.config..")
        .should()
        .callMethod(SettingSource.class, "get", String.class)
        .because("every variable is read by the settings code, which the docs are checked against")
        .check(classes);
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Main.class.getName())
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .because("Main hands the whole environment to a SettingSource; nothing else reads it")
        .check(classes);
  }

  @Test
  void everyVariableTheCodeReadsIsDocumentedAndInTheEnvExample() throws IOException {
    Set<String> read = variablesTheCodeReads();
    assertThat(read).contains("DATABASE_URL", "WATCH_NAMESPACES", "WEBHOOK_PORT");
    String docs = String.join("\n", docs().stream().map(Doc::text).toList());
    assertThat(read)
        .as("variables the code reads that README.md and docs/ never name")
        .allSatisfy(name -> assertThat(mentions(docs, name)).as(name).isTrue());

    String example = Files.readString(ROOT.resolve(".env.example"), StandardCharsets.UTF_8);
    Set<String> missing = new TreeSet<>();
    for (String name : read) {
      // A line that sets it, commented out or not: "NAME=value" or "# NAME=value".
      boolean set =
          Pattern.compile("(?m)^(?:# ?)?" + Pattern.quote(name) + "=").matcher(example).find();
      if (!PLATFORM.containsKey(name) && !set) {
        missing.add(name);
      }
    }
    assertThat(missing).as("variables without a NAME= line in .env.example").isEmpty();
    assertThat(read)
        .as("the platform's variables are read by the code")
        .containsAll(PLATFORM.keySet());
  }

  /**
   * What counts as a setting in the docs: inline code that is an UPPER_SNAKE name with an
   * underscore, alone or set ({@code DB_POOL_SIZE}, {@code LOG_FORMAT=text}); the first column of a
   * table headed "variable"; a variable set on a command line ({@code PORT=abc ./dbbinding}); and a
   * container's {@code - name: X} in a manifest. SQL keywords, condition reasons and metric names
   * are none of these.
   */
  @Test
  void everySettingTheDocsNameIsReadByTheCode() throws IOException {
    List<Doc> docs = docs();
    Map<Doc, Set<String>> found = new HashMap<>();
    for (Doc doc : docs) {
      Set<String> names = new TreeSet<>();
      for (String code : doc.inline()) {
        Matcher m = SNAKE_ALONE_OR_SET.matcher(code);
        if (m.matches()) {
          names.add(m.group(1));
        }
      }
      for (List<String> row : doc.rowsOfTables("variable")) {
        names.add(row.getFirst().replace("`", ""));
      }
      doc.code().forEach(c -> ASSIGNMENT.matcher(c).results().forEach(r -> names.add(r.group(1))));
      for (String block : doc.fenced()) {
        ENV_ENTRY.matcher(block).results().forEach(r -> names.add(r.group(1)));
      }
      found.put(doc, names);
    }
    Map<String, Set<String>> where = occurrences(docs, found);
    assertThat(where).as("the docs name settings (is this test reading them?)").isNotEmpty();

    Set<String> read = variablesTheCodeReads();
    Map<String, Set<String>> unknown = new TreeMap<>(where);
    unknown.keySet().removeAll(read);
    unknown.keySet().removeAll(NOT_OURS.keySet());
    assertThat(unknown).as("settings the docs name that the code never reads").isEmpty();

    for (Map.Entry<String, String> other : NOT_OURS.entrySet()) {
      assertThat(read)
          .as("%s is read by the code: drop it from NOT_OURS", other.getKey())
          .doesNotContain(other.getKey());
      assertThat(ROOT.resolve(other.getValue()))
          .as("NOT_OURS says %s reads %s", other.getValue(), other.getKey())
          .content()
          .contains(other.getKey());
    }
  }

  @Test
  void everyCommandTheDocsNameExistsAndEveryCommandIsDocumented() throws IOException {
    StringWriter sink = new StringWriter();
    CliContext context =
        new CliContext(
            SettingSource.of(Map.of()), ROOT, new PrintWriter(sink), new PrintWriter(sink));
    Set<String> commands = new TreeSet<>(Main.commandLine(context).getSubcommands().keySet());
    assertThat(commands).contains("sidecar", "operator", "migrate");

    List<Doc> docs = docs();
    Map<Doc, Set<String>> found = new HashMap<>();
    for (Doc doc : docs) {
      Set<String> named = new TreeSet<>();
      doc.code().forEach(c -> COMMAND.matcher(c).results().forEach(r -> named.add(r.group(1))));
      found.put(doc, named);
    }
    Map<String, Set<String>> where = occurrences(docs, found);
    Map<String, Set<String>> unknown = new TreeMap<>(where);
    unknown.keySet().removeAll(commands);
    assertThat(unknown).as("dbbinding commands the docs name that Main does not have").isEmpty();
    assertThat(commands)
        .as("commands of Main that the docs never show as `dbbinding <command>`")
        .allSatisfy(c -> assertThat(where).containsKey(c));
  }

  /**
   * A Helm value named in the docs: the key of a {@code --set}, a {@code .Values.KEY} or {@code
   * values.KEY}, and inline code that is a dotted path whose first part is a top-level key of
   * values.yaml ({@code webhook.certManager.enabled}; a single key such as {@code replicaCount} is
   * not checked). It must be a path of values.yaml, or lie under a map that values.yaml leaves
   * empty for keys of the user's own ({@code metrics.prometheusRule.labels.release}).
   */
  @Test
  void everyHelmValueTheDocsNameIsInTheChartsValues() throws IOException {
    JsonNode values =
        new ObjectMapper(new YAMLFactory()).readTree(CHART.resolve("values.yaml").toFile());
    Set<String> paths = new TreeSet<>();
    Set<String> openMaps = new TreeSet<>();
    collect(values, "", paths, openMaps);
    Set<String> topLevel = new TreeSet<>();
    values.fieldNames().forEachRemaining(topLevel::add);

    List<Doc> docs = docs();
    Map<Doc, Set<String>> found = new HashMap<>();
    for (Doc doc : docs) {
      Set<String> named = new TreeSet<>();
      SET.matcher(doc.text()).results().forEach(r -> named.add(r.group(1)));
      VALUES
          .matcher(doc.text())
          .results()
          .map(r -> r.group(1))
          // values.yaml and values.schema.json are the files, not values
          .filter(p -> !p.endsWith("yaml") && !p.endsWith("json"))
          .forEach(named::add);
      for (String code : doc.inline()) {
        Matcher m = DOTTED.matcher(code);
        if (m.matches() && topLevel.contains(m.group(1).split("\\.")[0])) {
          named.add(m.group(1));
        }
      }
      found.put(doc, named);
    }
    Map<String, Set<String>> where = occurrences(docs, found);
    assertThat(where.keySet()).as("the docs name Helm values").contains("image.repository");
    Map<String, Set<String>> unknown = new TreeMap<>(where);
    unknown
        .keySet()
        .removeIf(p -> paths.contains(p) || openMaps.stream().anyMatch(o -> p.startsWith(o + ".")));
    assertThat(unknown).as("Helm values the docs name that values.yaml does not have").isEmpty();
  }

  /** The dotted paths of every key, and the paths of maps left empty for the user's own keys. */
  private static void collect(JsonNode node, String prefix, Set<String> paths, Set<String> open) {
    if (!node.isObject()) {
      return;
    }
    if (node.isEmpty() && !prefix.isEmpty()) {
      open.add(prefix);
    }
    node.properties()
        .forEach(
            e -> {
              String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
              paths.add(path);
              collect(e.getValue(), path, paths, open);
            });
  }

  /**
   * The table of the webhook's objects in docs/custom-resource.md names them as the chart renders
   * them for {@code helm install dbbinding helm/dbbinding -n dbbinding-system}: with its own
   * certificates (the default) and with cert-manager, every object it names exists, and every
   * object of the webhook is named.
   */
  @Test
  void theWebhooksObjectsAreNamedAsTheChartRendersThem() throws IOException {
    Doc page = Doc.read(ROOT.resolve("docs").resolve("custom-resource.md"));
    Set<String> documented = new TreeSet<>();
    for (List<String> row : page.rowsOfTables("object")) {
      String name = row.get(1).replace("`", "");
      for (String kind : row.getFirst().replace("`", "").split(",")) {
        documented.add(kind.strip() + " " + name);
      }
    }
    assertThat(documented).as("the table of the webhook's objects").isNotEmpty();

    Set<String> rendered = new TreeSet<>();
    for (Map<String, Object> set :
        List.<Map<String, Object>>of(Map.of(), Map.of("webhook.certManager.enabled", true))) {
      var template = new Helm(RenderableChart.path()).template().withName("dbbinding");
      set.forEach(template::set);
      String yaml = template.withNamespace("dbbinding-system").call();
      try (var parser = new YAMLFactory().createParser(yaml)) {
        var objects = new ObjectMapper().readValues(parser, JsonNode.class);
        while (objects.hasNext()) {
          JsonNode o = objects.next();
          if (o != null && o.has("kind")) {
            rendered.add(o.get("kind").asText() + " " + o.at("/metadata/name").asText());
          }
        }
      }
    }
    assertThat(rendered).as("objects the chart renders").containsAll(documented);
    assertThat(documented)
        .as("the webhook's objects the chart renders")
        .containsAll(
            rendered.stream()
                .filter(o -> o.contains("webhook") || o.startsWith("MutatingWebhookConfiguration"))
                .toList());
  }

  /**
   * Every relative link of the docs leads to a file of the repository and, with a {@code #}, to a
   * heading of that page (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens), so
   * that moving a section cannot leave a link behind.
   */
  @Test
  void everyLinkOfTheDocsLeadsToAFileAndAHeading() throws IOException {
    Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    List<String> broken = new ArrayList<>();
    for (Doc doc : docs()) {
      Path from = ROOT.resolve(doc.name());
      for (String target : link.matcher(doc.prose()).results().map(r -> r.group(1)).toList()) {
        if (target.matches("[a-z]+:.*")) {
          continue; // https: and the like
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : "";
        Path to = file.isEmpty() ? from : from.resolveSibling(file).normalize();
        if (!Files.exists(to)) {
          if (!to.equals(VALUES_TABLE)) {
            broken.add(doc.name() + ": " + target + " (no such file)");
          }
        } else if (!anchor.isEmpty() && !anchors(to).contains(anchor)) {
          broken.add(doc.name() + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("links of the docs that lead nowhere").isEmpty();
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new TreeSet<>();
    for (String line : Doc.read(page).prose().split("\n")) {
      if (line.startsWith("#")) {
        String heading = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
        anchors.add(heading.replaceAll("[^\\p{L}\\p{N}_ -]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }
}
