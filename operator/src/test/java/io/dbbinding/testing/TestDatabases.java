package io.dbbinding.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dbbinding.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives integration tests a real PostgreSQL, chosen once per JVM:
 *
 * <ol>
 *   <li>{@code TEST_DATABASE_URL} when set (a server you run; it must let this user create
 *       databases);
 *   <li>else Testcontainers when a Docker engine answers ({@code postgres:18-alpine}, or the image
 *       {@code TEST_POSTGRES_IMAGE} names: a mirror, or a stand-in built where no registry is
 *       reachable);
 *   <li>else an embedded PostgreSQL 18 (io.zonky.test), which needs nothing installed.
 * </ol>
 *
 * <p>The server lives until the JVM exits; tests get fresh databases from it. {@code
 * TEST_DATABASE_REQUIRE=testcontainers} (or {@code embedded}) makes a run fail rather than fall
 * back to another kind: CI uses it to prove the Testcontainers path ran.
 */
public final class TestDatabases {
  private static PostgresServer server;

  private TestDatabases() {}

  public static synchronized PostgresServer server() {
    if (server == null) {
      server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::stop, "test-postgres-stop"));
    }
    return server;
  }

  /** A fresh database on the shared server. */
  public static DatabaseUrl newDatabase() {
    return server().createDatabase();
  }

  private static PostgresServer start() {
    PostgresServer chosen = choose();
    String required = System.getenv("TEST_DATABASE_REQUIRE");
    if (required != null
        && !required.isBlank()
        && !chosen.kind().toLowerCase(Locale.ROOT).startsWith(required.strip())) {
      throw new IllegalStateException(
          "TEST_DATABASE_REQUIRE=" + required + " but the test database is " + chosen.kind());
    }
    return chosen;
  }

  private static PostgresServer choose() {
    String url = System.getenv("TEST_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return new External(DatabaseUrl.parse("TEST_DATABASE_URL", url));
    }
    if (dockerAnswers()) {
      String image = Containerized.image();
      System.err.println("test database: PostgreSQL 18 in Testcontainers (" + image + ")");
      return Containerized.start(image);
    }
    System.err.println(
        "test database: embedded PostgreSQL 18 (no TEST_DATABASE_URL, no Docker engine answered)");
    return Embedded.start();
  }

  /**
   * Whether a Docker engine answers. Testcontainers logs an ERROR with every strategy it tried when
   * none does, which on a machine without Docker (ours) is the expected answer, not an error: its
   * logger is silenced for the question, and the choice is said in one line instead.
   */
  private static boolean dockerAnswers() {
    Logger testcontainers = (Logger) LoggerFactory.getLogger("org.testcontainers.dockerclient");
    Level before = testcontainers.getLevel();
    testcontainers.setLevel(Level.OFF);
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    } finally {
      testcontainers.setLevel(before);
    }
  }

  private static synchronized void stop() {
    if (server instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // the JVM is exiting; nothing to do about a server that will not stop
      }
    }
  }

  /** A server someone else runs. */
  private static final class External extends PostgresServer {
    private final DatabaseUrl admin;

    External(DatabaseUrl admin) {
      this.admin = admin;
    }

    @Override
    public String kind() {
      return "TEST_DATABASE_URL";
    }

    @Override
    public DatabaseUrl adminUrl() {
      return admin;
    }

    @Override
    public boolean ownsConfiguration() {
      return false;
    }

    @Override
    protected void requirePassword(String role) {
      // Not ours to change: the server is expected to ask TCP clients for passwords already.
    }
  }

  /** A server whose pg_hba.conf this JVM may rewrite (embedded or in a container). */
  private abstract static class Owned extends PostgresServer implements AutoCloseable {
    @Override
    public abstract void close() throws IOException;

    @Override
    public boolean ownsConfiguration() {
      return true;
    }

    @Override
    protected synchronized void requirePassword(String role) {
      try (Connection c = connect(adminUrl());
          Statement s = c.createStatement()) {
        String hbaFile;
        try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
          rs.next();
          hbaFile = rs.getString(1);
        }
        rewriteHba(Path.of(hbaFile), role);
        s.execute("SELECT pg_reload_conf()");
      } catch (SQLException | IOException e) {
        throw new IllegalStateException("cannot require a password for " + role, e);
      }
    }

    /** Puts scram-sha-256 rules for {@code role} above the trust rules. */
    protected void rewriteHba(Path hba, String role) throws IOException {
      String current = Files.readString(hba, StandardCharsets.UTF_8);
      String rule = "host all " + role + " 0.0.0.0/0 scram-sha-256\n";
      if (current.contains(rule)) {
        return;
      }
      Files.writeString(
          hba,
          rule + "host all " + role + " ::0/0 scram-sha-256\n" + current,
          StandardCharsets.UTF_8);
    }
  }

  private static final class Embedded extends Owned {
    private final EmbeddedPostgres postgres;

    private Embedded(EmbeddedPostgres postgres) {
      this.postgres = postgres;
    }

    static Embedded start() {
      try {
        return new Embedded(EmbeddedPostgres.builder().start());
      } catch (IOException e) {
        throw new IllegalStateException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
      }
    }

    @Override
    public String kind() {
      return "embedded PostgreSQL 18";
    }

    @Override
    public DatabaseUrl adminUrl() {
      return DatabaseUrl.parse(
          "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres");
    }

    @Override
    public void close() throws IOException {
      postgres.close();
    }
  }

  private static final class Containerized extends Owned {
    private final PostgreSQLContainer container;
    private final String image;

    private Containerized(PostgreSQLContainer container, String image) {
      this.container = container;
      this.image = image;
    }

    /** postgres:18-alpine, or the image TEST_POSTGRES_IMAGE names (used as a postgres image). */
    static String image() {
      String image = System.getenv("TEST_POSTGRES_IMAGE");
      return image == null || image.isBlank() ? "postgres:18-alpine" : image.strip();
    }

    static Containerized start(String image) {
      PostgreSQLContainer c =
          new PostgreSQLContainer(
              DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
      c.start();
      return new Containerized(c, image);
    }

    @Override
    public String kind() {
      return "Testcontainers " + image;
    }

    @Override
    public DatabaseUrl adminUrl() {
      return DatabaseUrl.parse(
          "postgresql://"
              + container.getUsername()
              + ":"
              + container.getPassword()
              + "@"
              + container.getHost()
              + ":"
              + container.getMappedPort(5432)
              + "/"
              + container.getDatabaseName());
    }

    @Override
    protected void rewriteHba(Path hba, String role) {
      // The file is inside the container: edit it there.
      String rule = "host all " + role + " all scram-sha-256";
      try {
        container.execInContainer(
            List.of("sh", "-c", "sed -i '1i " + rule + "' " + hba).toArray(String[]::new));
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("cannot edit pg_hba.conf in the container", e);
      }
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
