package io.dbbinding.migrate;

import java.time.Instant;

/**
 * A session that holds a migration's advisory lock, as {@code pg_locks} and {@code
 * pg_stat_activity} show it.
 *
 * @param backendStart when it connected; null when the role may not see it
 * @param user its role; empty when not shown
 */
public record LockHolder(
    int pid, String applicationName, String state, Instant backendStart, String user) {
  public LockHolder {
    applicationName = applicationName == null ? "" : applicationName;
    state = state == null ? "unknown" : state;
    user = user == null ? "" : user;
  }

  /** One line for a person: {@code pid 42 (application_name '...', connected since ...)}. */
  public String describe() {
    StringBuilder s = new StringBuilder("pid ").append(pid);
    s.append(" (application_name '").append(MessageText.oneLine(applicationName)).append("'");
    if (backendStart != null) {
      s.append(", connected since ").append(OrphanPolicy.shown(backendStart));
    }
    return s.append(")").toString();
  }

  /** What identifies this session across looks: a pid is reused only by a later connection. */
  String key() {
    return pid + "|" + backendStart + "|" + applicationName;
  }
}
