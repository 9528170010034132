package io.dbbinding.config;

import java.util.Locale;

/** The hosted PostgreSQL service a URL points at, detected from its host name. */
public enum Provider {
  SUPABASE("supabase"),
  NEON("neon"),
  RAILWAY("railway"),
  POSTGRESQL("postgresql");

  private final String id;

  Provider(String id) {
    this.id = id;
  }

  /** The name reported by {@code /health/db} and in a binding's status. */
  public String id() {
    return id;
  }

  public static Provider detect(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".pooler.supabase.com") || h.endsWith(".supabase.co")) {
      return SUPABASE;
    }
    if (h.endsWith(".neon.tech")) {
      return NEON;
    }
    if (h.endsWith(".railway.app") || h.endsWith(".rlwy.net")) {
      return RAILWAY;
    }
    return POSTGRESQL;
  }
}
