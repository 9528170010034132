package io.dbbinding.migrate;

import java.util.regex.Pattern;

/**
 * A session that held up a migration: what {@code pg_stat_activity} says about it.
 *
 * @param transactionSeconds how long its transaction has been open; -1 when it has none
 * @param query the first 100 characters of its latest query, with anything that looks like a
 *     password masked
 */
public record Blocker(
    int pid, String application, String state, long transactionSeconds, String query) {
  private static final Pattern PASSWORD = Pattern.compile("(?i)password|secret|passwd");
  private static final Pattern STRING = Pattern.compile("'(?:[^']|'')*'?");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@\\s]*@");

  public Blocker {
    query = masked(query == null ? "" : query);
  }

  /** One line for a person: who it is, what it is doing, and for how long. */
  public String describe(boolean withQuery) {
    StringBuilder s = new StringBuilder("pid ").append(pid);
    s.append(" (application_name '").append(application == null ? "" : application).append("'");
    s.append(", state '").append(state == null ? "unknown" : state).append("'");
    if (transactionSeconds >= 0) {
      s.append(", transaction open ").append(transactionSeconds).append("s");
    }
    if (withQuery) {
      s.append(", query '").append(MessageText.oneLine(query)).append("'");
    }
    return s.append(")").toString();
  }

  /**
   * A query that mentions a password has its string constants masked; a URL's password is masked
   * anywhere.
   */
  static String masked(String query) {
    String q = URL_PASSWORD.matcher(query).replaceAll("$1****@");
    if (PASSWORD.matcher(q).find()) {
      q = STRING.matcher(q).replaceAll("'****'");
    }
    return q;
  }
}
