package io.dbbinding.cli;

/** The exit codes of every command, as the README documents them. */
public final class ExitCode {
  /** Done. */
  public static final int OK = 0;

  /** A migration, a validation or the database failed. */
  public static final int FAILED = 1;

  /** Bad usage or settings: nothing was done. */
  public static final int USAGE = 2;

  /** {@code dbbinding diff}: the schema differs from what the migrations produce. */
  public static final int DRIFTED = 3;

  private ExitCode() {}
}
