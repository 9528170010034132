package io.dbbinding.config;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A PostgreSQL connection URL in any of the forms applications already hold ({@code postgresql://},
 * {@code postgres://}, SQLAlchemy's {@code postgresql+asyncpg://} and {@code
 * postgresql+psycopg://}, and {@code jdbc:postgresql://}), parsed into its parts.
 *
 * <p>The credentials are kept out of the JDBC URL ({@link #jdbcUrl()}) and handed to the driver as
 * properties, so that no library that logs its URL can print the password. {@link #toString()} is
 * {@link #masked()}.
 */
public record DatabaseUrl(
    List<HostAndPort> hosts,
    String database,
    String user,
    String password,
    Map<String, String> parameters) {

  /** The schemes accepted, as listed in error messages. */
  public static final List<String> ACCEPTED_SCHEMES =
      List.of(
          "postgresql://",
          "postgres://",
          "postgresql+asyncpg://",
          "postgresql+psycopg://",
          "jdbc:postgresql://");

  private static final String MASK = "****";
  private static final int SUPABASE_TRANSACTION_POOLER_PORT = 6543;

  public DatabaseUrl {
    hosts = List.copyOf(hosts);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    if (hosts.isEmpty()) {
      throw new ConfigurationException("DATABASE_URL needs at least one host");
    }
  }

  /**
   * Parses {@code text}, the value of {@code variable}. Errors name the variable and never echo the
   * URL, which may hold a password.
   */
  public static DatabaseUrl parse(String variable, String text) {
    return new Parser(variable).parse(text);
  }

  public static DatabaseUrl parse(String text) {
    return parse("DATABASE_URL", text);
  }

  /** The first host, which decides the provider. */
  public HostAndPort primaryHost() {
    return hosts.get(0);
  }

  public Provider provider() {
    return Provider.detect(primaryHost().host());
  }

  /**
   * Whether statements must not be prepared on the server: Supabase's transaction pooler (port
   * 6543) and any PgBouncer in transaction mode ({@code pgbouncer=true}) hand each transaction to
   * another server connection, where a prepared statement does not exist.
   */
  public boolean transactionPooler() {
    boolean supabasePooler =
        provider() == Provider.SUPABASE
            && hosts.stream().anyMatch(h -> h.port() == SUPABASE_TRANSACTION_POOLER_PORT);
    return supabasePooler || "true".equalsIgnoreCase(parameters.get("pgbouncer"));
  }

  /** The URL for pgjdbc, without user or password (see {@link #user()}, {@link #password()}). */
  public String jdbcUrl() {
    StringJoiner hostList = new StringJoiner(",");
    hosts.forEach(h -> hostList.add(h.authority()));
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(hostList)
            .append('/')
            .append(encode(database));
    Map<String, String> jdbc = jdbcParameters();
    if (!jdbc.isEmpty()) {
      StringJoiner query = new StringJoiner("&", "?", "");
      jdbc.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
      url.append(query);
    }
    return url.toString();
  }

  /** The query parameters translated from libpq's and asyncpg's names into pgjdbc's. */
  public Map<String, String> jdbcParameters() {
    Map<String, String> out = new LinkedHashMap<>();
    parameters.forEach(
        (key, value) -> {
          switch (key) {
            case "pgbouncer" -> {
              // Not a driver setting: it only tells us about the pooler (see transactionPooler).
            }
            case "connect_timeout" -> out.put("connectTimeout", value);
            case "application_name" -> out.put("ApplicationName", value);
            case "target_session_attrs" -> out.put("targetServerType", targetServerType(value));
            case "ssl" -> out.put("sslmode", asyncpgSsl(value));
            default -> out.put(key, value);
          }
        });
    if (transactionPooler()) {
      out.putIfAbsent("prepareThreshold", "0");
    }
    return out;
  }

  /** The URL with its password replaced by {@code ****}: safe for logs, statuses and Events. */
  public String masked() {
    StringBuilder out = new StringBuilder("postgresql://");
    if (!user.isEmpty()) {
      out.append(encode(user));
      if (!password.isEmpty()) {
        out.append(':').append(MASK);
      }
      out.append('@');
    }
    StringJoiner hostList = new StringJoiner(",");
    hosts.forEach(h -> hostList.add(h.authority()));
    out.append(hostList).append('/').append(encode(database));
    if (!parameters.isEmpty()) {
      StringJoiner query = new StringJoiner("&", "?", "");
      parameters.forEach((k, v) -> query.add(k + "=" + (isSecretParameter(k) ? MASK : encode(v))));
      out.append(query);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return masked();
  }

  private static boolean isSecretParameter(String key) {
    return key.toLowerCase(Locale.ROOT).contains("password");
  }

  private static String targetServerType(String libpq) {
    return switch (libpq) {
      case "read-write", "primary" -> "primary";
      case "read-only", "standby" -> "secondary";
      case "prefer-standby" -> "preferSecondary";
      default -> "any";
    };
  }

  private static String asyncpgSsl(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "require" -> "require";
      case "false", "disable" -> "disable";
      default -> value;
    };
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One parse; holds the variable name for its messages. */
  private record Parser(String variable) {

    DatabaseUrl parse(String raw) {
      if (raw == null || raw.isBlank()) {
        throw error("is empty; expected a URL such as postgresql://user:password@host:5432/db");
      }
      String text = raw.strip();
      int sep = text.indexOf("://");
      String scheme = sep < 0 ? "" : text.substring(0, sep).toLowerCase(Locale.ROOT);
      if (!ACCEPTED_SCHEMES.contains(scheme + "://")) {
        String shown = scheme.matches("[a-z0-9+.:-]{1,32}") ? "'" + scheme + "://'" : "its form";
        throw error(
            "has an unsupported scheme "
                + shown
                + "; accepted: "
                + String.join(", ", ACCEPTED_SCHEMES));
      }
      String rest = text.substring(sep + 3);
      // People paste passwords unencoded, with '/', '@', '?' or '#' in them: the userinfo ends
      // at the last '@', and only after it do '?' and '#' start the query and the fragment, so
      // no part of a password can end up shown as a host, a path or a query parameter.
      int lastAt = rest.lastIndexOf('@');
      int hash = rest.indexOf('#', lastAt + 1);
      if (hash >= 0) {
        rest = rest.substring(0, hash);
      }
      int question = rest.indexOf('?', lastAt + 1);
      String main = question < 0 ? rest : rest.substring(0, question);
      String query = question < 0 ? "" : rest.substring(question + 1);
      int at = main.lastIndexOf('@');
      String userInfo = at < 0 ? "" : main.substring(0, at);
      String hostAndPath = main.substring(at + 1);
      int slash = hostAndPath.indexOf('/');
      String hostList = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
      String database = slash < 0 ? "" : decode(hostAndPath.substring(slash + 1), "database name");
      if (database.indexOf('/') >= 0) {
        throw error("has a '/' in its database name; percent-encode it as %2F");
      }

      String user = "";
      String password = "";
      if (!userInfo.isEmpty()) {
        int colon = userInfo.indexOf(':');
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
        password = colon < 0 ? "" : decode(userInfo.substring(colon + 1), "password");
      }

      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter name");
        String value =
            eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter '" + key + "'");
        if (key.isEmpty()) {
          throw error("has a query parameter without a name");
        }
        params.put(key, value);
      }
      // libpq and pgjdbc both accept credentials as parameters too.
      String paramUser = params.remove("user");
      String paramPassword = params.remove("password");
      if (user.isEmpty() && paramUser != null) {
        user = paramUser;
      }
      if (password.isEmpty() && paramPassword != null) {
        password = paramPassword;
      }
      return new DatabaseUrl(hosts(hostList), database, user, password, params);
    }

    private List<HostAndPort> hosts(String hostList) {
      if (hostList.isEmpty()) {
        throw error("has no host; expected postgresql://user:password@host:5432/db");
      }
      List<HostAndPort> hosts = new ArrayList<>();
      for (String entry : hostList.split(",", -1)) {
        hosts.add(host(entry));
      }
      return hosts;
    }

    private HostAndPort host(String entry) {
      String host;
      String port;
      if (entry.startsWith("[")) {
        int close = entry.indexOf(']');
        if (close < 0) {
          throw error("has an IPv6 host without its closing ']'");
        }
        host = entry.substring(1, close);
        String after = entry.substring(close + 1);
        if (!after.isEmpty() && !after.startsWith(":")) {
          throw error("has characters after an IPv6 host; expected [address]:port");
        }
        port = after.isEmpty() ? "" : after.substring(1);
      } else {
        int colon = entry.indexOf(':');
        host = colon < 0 ? entry : entry.substring(0, colon);
        port = colon < 0 ? "" : entry.substring(colon + 1);
        host = decode(host, "host");
      }
      if (host.isEmpty()) {
        throw error("has an empty host in its host list");
      }
      if (!host.matches("[A-Za-z0-9._:%-]+")) {
        throw error(
            "has an invalid host name; if the password holds '@', ':' or '/', percent-encode it");
      }
      return new HostAndPort(host, port(port));
    }

    private int port(String text) {
      if (text.isEmpty()) {
        return HostAndPort.DEFAULT_PORT;
      }
      if (!text.matches("[0-9]{1,5}")) {
        throw error("has an invalid port; expected a number from 1 to 65535");
      }
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw error("has an invalid port; expected a number from 1 to 65535");
      }
      return port;
    }

    private String decode(String s, String part) {
      if (s.indexOf('%') < 0) {
        return s;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '%') {
          if (i + 2 >= s.length()
              || Character.digit(s.charAt(i + 1), 16) < 0
              || Character.digit(s.charAt(i + 2), 16) < 0) {
            throw error("has invalid percent-encoding in its " + part);
          }
          bytes.write(
              Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
          i += 2;
        } else {
          int end = s.indexOf('%', i);
          byte[] utf8 = s.substring(i, end < 0 ? s.length() : end).getBytes(StandardCharsets.UTF_8);
          bytes.write(utf8, 0, utf8.length);
          i = (end < 0 ? s.length() : end) - 1;
        }
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.toByteArray()))
            .toString();
      } catch (CharacterCodingException e) {
        throw error("has percent-encoding in its " + part + " that is not UTF-8");
      }
    }

    private ConfigurationException error(String what) {
      return new ConfigurationException(variable + " " + what);
    }
  }
}
