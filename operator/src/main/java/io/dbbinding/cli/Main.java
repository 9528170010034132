package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.SettingSource;
import io.dbbinding.db.DatabaseError;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dbbinding}: one jar, and the command picks the role. */
@Command(
    name = "dbbinding",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "PostgreSQL health, migrations and status for applications on Kubernetes.",
    synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {
  private final CliContext context;
  @Spec private CommandSpec spec;

  Main(CliContext context) {
    this.context = context;
  }

  public static void main(String[] args) {
    CliContext context =
        new CliContext(
            SettingSource.of(System.getenv(), Path.of("").toAbsolutePath()),
            Path.of("").toAbsolutePath(),
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    int status = run(context, args);
    System.exit(status);
  }

  /** Runs one command line and returns its exit code; what tests call. */
  public static int run(CliContext context, String... args) {
    return commandLine(context).execute(args);
  }

  /**
   * {@code dbbinding} with every role as a subcommand: what {@link #run} executes, and where a test
   * finds the commands the docs may name.
   */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cli = new CommandLine(new Main(context));
    cli.addSubcommand(new SidecarCommand(context));
    cli.addSubcommand(new DevCommand(context));
    cli.addSubcommand(new PlaygroundCommand(context));
    cli.addSubcommand(new OperatorCommand(context));
    cli.addSubcommand(new MigrateCommand(context));
    cli.addSubcommand(new InfoCommand(context));
    cli.addSubcommand(new ValidateCommand(context));
    cli.addSubcommand(new DiffCommand(context));
    cli.addSubcommand(new WaitCommand(context));
    cli.addSubcommand(new LintCommand(context));
    cli.addSubcommand(new WebhookReadyCommand(context));
    cli.setOut(context.out());
    cli.setErr(context.err());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          context.err().println("dbbinding: " + oneLine(e));
          return exitCodeOf(e);
        });
    return cli;
  }

  static int exitCodeOf(Throwable e) {
    if (e instanceof ConfigurationException) {
      return ExitCode.USAGE;
    }
    return ExitCode.FAILED;
  }

  /** An error as one line: our own messages are written for people; others get their type. */
  static String oneLine(Throwable e) {
    String message =
        e instanceof ConfigurationException || e instanceof DatabaseError
            ? e.getMessage()
            : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return message.replaceAll("[\\r\\n]+", " ");
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }
}
