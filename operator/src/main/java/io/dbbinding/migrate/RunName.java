package io.dbbinding.migrate;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who a migration run's database sessions belong to, written into their {@code application_name}:
 * {@code dbbinding:<namespace>/<pod>|<binding>}. The owner (the pod, in its namespace) comes first
 * and ends with {@code |}, so that PostgreSQL's cut at 63 bytes can only shorten the binding: a
 * name cut inside its owner has no {@code |}, is still recognisably dbbinding's, and is never taken
 * for a dead run's (its session is never terminated).
 *
 * @param namespace the owner pod's namespace; empty when it is not known (a laptop)
 * @param pod the owner pod, or the host name
 * @param binding the binding migrated ({@code namespace/name}); empty for the CLI
 */
public record RunName(String namespace, String pod, String binding) {
  /** What every run's application_name starts with. */
  public static final String PREFIX = "dbbinding:";

  /** The sidecar's pool: not a run, so never terminated. */
  public static final String SIDECAR = "dbbinding-sidecar";

  /** The longest application_name PostgreSQL keeps (NAMEDATALEN - 1 bytes). */
  public static final int MAX_BYTES = 63;

  private static final char END_OF_OWNER = '|';

  public RunName {
    namespace = namespace == null ? "" : namespace;
    pod = pod == null ? "" : pod;
    binding = binding == null ? "" : binding;
  }

  /** This run's name for the binding {@code namespace/name}. */
  public RunName forBinding(String bindingNamespace, String bindingName) {
    return new RunName(namespace, pod, bindingNamespace + "/" + bindingName);
  }

  /**
   * The application_name, cut at {@link #MAX_BYTES} as PostgreSQL would cut it (so that what the
   * server shows is what was sent). Without a namespace the owner cannot be looked up: the name
   * then has no {@code /} and no {@code |}.
   */
  public String applicationName() {
    String full =
        namespace.isEmpty()
            ? PREFIX + pod
            : PREFIX + namespace + "/" + pod + END_OF_OWNER + binding;
    return cut(full);
  }

  /**
   * Whether the owner survives PostgreSQL's cut, so that a dead owner's session can be released.
   */
  public boolean identifiable() {
    return owner(applicationName()).isPresent();
  }

  /**
   * The owner named by an application_name, when it is a run's and its owner part is whole; empty
   * for any other session (the sidecar, {@code psql}, a run whose name was cut).
   */
  public static Optional<RunName> owner(String applicationName) {
    if (applicationName == null || !applicationName.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = applicationName.substring(PREFIX.length());
    int end = rest.indexOf(END_OF_OWNER);
    if (end < 0) {
      return Optional.empty();
    }
    String owner = rest.substring(0, end);
    int slash = owner.indexOf('/');
    if (slash <= 0 || slash == owner.length() - 1 || owner.indexOf('/', slash + 1) >= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new RunName(
            owner.substring(0, slash), owner.substring(slash + 1), rest.substring(end + 1)));
  }

  /** Whether the session is one of dbbinding's own (a run or the sidecar), named or not. */
  public static boolean isDbbinding(String applicationName) {
    return applicationName != null
        && (applicationName.startsWith(PREFIX) || applicationName.equals(SIDECAR));
  }

  /** The owner as a person reads it: {@code pod shop/orders-7f9c}. */
  public String ownerText() {
    return "pod " + namespace + "/" + pod;
  }

  private static String cut(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_BYTES) {
      return s;
    }
    // PostgreSQL cuts at a character boundary: never half of a multi-byte character.
    int n = MAX_BYTES;
    while (n > 0 && (bytes[n] & 0xC0) == 0x80) {
      n--;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
