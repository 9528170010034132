package io.dbbinding.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The operator's own settings, read like the others (environment, then {@code .env}).
 *
 * @param watchNamespaces the namespaces watched; empty for all ({@code WATCH_NAMESPACES}, comma
 *     separated)
 * @param leaderElection whether replicas elect a leader on a Lease ({@code LEADER_ELECTION})
 * @param leaseName the Lease ({@code LEADER_ELECTION_LEASE_NAME})
 * @param leaseNamespace where the Lease lives ({@code POD_NAMESPACE}, from the downward API)
 * @param identity this replica's name in the Lease ({@code POD_NAME}, else the host name)
 * @param databaseTimeout the bound on each connection attempt to a binding's database
 * @param watchLabelSelector a Kubernetes label selector: only the Secrets and ConfigMaps it matches
 *     are watched and cached, and so can be referenced by a binding ({@code WATCH_LABEL_SELECTOR});
 *     empty for all of the watched namespaces
 * @param serverConcurrency at most this many bindings are checked or migrated at once per database
 *     server, each on one connection ({@code DATABASE_SERVER_CONCURRENCY}, default 4)
 * @param bindingLabelSelector a Kubernetes label selector: only the DatabaseBindings it matches are
 *     reconciled, and only their pods' readiness gates set ({@code BINDING_LABEL_SELECTOR}), so
 *     that several releases of the operator, each with its own selector and Lease, share the
 *     bindings; empty for all of the watched namespaces
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String identity,
    Duration databaseTimeout,
    String watchLabelSelector,
    int serverConcurrency,
    String bindingLabelSelector) {
  /** The operator waits longer than a probe: it connects once per reconcile, not per second. */
  static final Duration MIN_DATABASE_TIMEOUT = Duration.ofSeconds(5);

  private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String KEY = "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?" + NAME;
  private static final String VALUE = "(" + NAME + ")?";
  private static final String REQUIREMENT =
      "\\s*(!\\s*"
          + KEY
          + "|"
          + KEY
          + "(\\s*(==?|!=)\\s*"
          + VALUE
          + "|\\s+(in|notin)\\s*\\(\\s*"
          + VALUE
          + "(\\s*,\\s*"
          + VALUE
          + ")*\\s*\\))?)\\s*";

  /** Kubernetes' label selector grammar, equality- and set-based. */
  private static final Pattern SELECTOR = Pattern.compile(REQUIREMENT + "(," + REQUIREMENT + ")*");

  /**
   * Small: PostgreSQL's default max_connections is 100, shared with the applications; a binding's
   * check takes milliseconds, so a few at a time keep up with thousands of bindings.
   */
  public static final int DEFAULT_SERVER_CONCURRENCY = 4;

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
    watchLabelSelector = watchLabelSelector.strip();
    bindingLabelSelector = bindingLabelSelector.strip();
  }

  /** Settings with the default {@code DATABASE_SERVER_CONCURRENCY}. */
  public OperatorSettings(
      Set<String> watchNamespaces,
      boolean leaderElection,
      String leaseName,
      String leaseNamespace,
      String identity,
      Duration databaseTimeout,
      String watchLabelSelector) {
    this(
        watchNamespaces,
        leaderElection,
        leaseName,
        leaseNamespace,
        identity,
        databaseTimeout,
        watchLabelSelector,
        DEFAULT_SERVER_CONCURRENCY,
        "");
  }

  /** Settings that watch every Secret and ConfigMap of the watched namespaces. */
  public OperatorSettings(
      Set<String> watchNamespaces,
      boolean leaderElection,
      String leaseName,
      String leaseNamespace,
      String identity,
      Duration databaseTimeout) {
    this(watchNamespaces, leaderElection, leaseName, leaseNamespace, identity, databaseTimeout, "");
  }

  public static OperatorSettings load(SettingSource source, Settings settings) {
    Set<String> namespaces = new TreeSet<>();
    source
        .get("WATCH_NAMESPACES")
        .ifPresent(
            v ->
                Arrays.stream(v.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(namespaces::add));
    for (String ns : namespaces) {
      if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new ConfigurationException(
            "WATCH_NAMESPACES must be a comma-separated list of namespace names, got "
                + Settings.shown(ns));
      }
    }
    boolean leaderElection =
        source
            .get("LEADER_ELECTION")
            .map(v -> bool("LEADER_ELECTION", v))
            .orElse(!leaderElectionOffByDefault(source));
    String leaseNamespace = source.get("POD_NAMESPACE").orElse("");
    if (leaderElection && leaseNamespace.isEmpty()) {
      throw new ConfigurationException(
          "POD_NAMESPACE is not set; leader election needs the namespace for its Lease"
              + " (set it from the downward API, or LEADER_ELECTION=false)");
    }
    String identity =
        source
            .get("POD_NAME")
            .or(() -> source.get("HOSTNAME"))
            .orElse("dbbinding-" + ProcessHandle.current().pid());
    Duration timeout =
        settings.connectTimeout().compareTo(MIN_DATABASE_TIMEOUT) < 0
            ? MIN_DATABASE_TIMEOUT
            : settings.connectTimeout();
    int concurrency =
        source
            .get("DATABASE_SERVER_CONCURRENCY")
            .map(v -> positive("DATABASE_SERVER_CONCURRENCY", v))
            .orElse(DEFAULT_SERVER_CONCURRENCY);
    return new OperatorSettings(
        namespaces,
        leaderElection,
        source.get("LEADER_ELECTION_LEASE_NAME").orElse("dbbinding-operator"),
        leaseNamespace,
        identity,
        timeout,
        selector(source, "WATCH_LABEL_SELECTOR", "dbbinding.io/watch=true"),
        concurrency,
        selector(source, "BINDING_LABEL_SELECTOR", "dbbinding.io/shard=a"));
  }

  /** The label selector {@code name} holds, checked against Kubernetes' grammar; empty if unset. */
  private static String selector(SettingSource source, String name, String example) {
    String selector = source.get(name).orElse("").strip();
    if (!selector.isEmpty() && !SELECTOR.matcher(selector).matches()) {
      throw new ConfigurationException(
          name
              + " must be a Kubernetes label selector such as "
              + example
              + ", got "
              + Settings.shown(selector));
    }
    return selector;
  }

  /**
   * Whether leader election is off because nothing asked for it: {@code LEADER_ELECTION} unset, and
   * neither in a cluster (no {@code KUBERNETES_SERVICE_HOST}, which Kubernetes gives every pod) nor
   * given a {@code POD_NAMESPACE} for the Lease. That is {@code ./dbbinding operator} on a laptop
   * against the current kube context: one replica, and no namespace to put a Lease in. In a pod the
   * default stays on, so that a second replica never reconciles beside the first.
   */
  public static boolean leaderElectionOffByDefault(SettingSource source) {
    return source.get("LEADER_ELECTION").isEmpty()
        && source.get("KUBERNETES_SERVICE_HOST").isEmpty()
        && source.get("POD_NAMESPACE").isEmpty();
  }

  private static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, in one line
    }
    throw new ConfigurationException(
        name + " must be a whole number from 1 to 1000, got " + Settings.shown(value));
  }

  private static boolean bool(String name, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new ConfigurationException(
              name + " must be true or false, got " + Settings.shown(value));
    };
  }
}
