package io.dbbinding.bench;

/**
 * Picks a benchmark by name: {@code sidecar}, {@code operator}, {@code operator-scale}, {@code
 * migrations}, {@code webhook} or {@code drift}.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    String which = args.length == 0 ? "migrations" : args[0];
    switch (which) {
      case "sidecar" -> SidecarBench.main(new String[0]);
      case "operator" -> OperatorBench.main(new String[0]);
      case "operator-scale" -> OperatorScaleBench.main(new String[0]);
      case "migrations" -> MigrationBench.main(new String[0]);
      case "webhook" -> WebhookBench.main(new String[0]);
      case "drift" -> DriftBench.main(new String[0]);
      default -> {
        System.err.println(
            "bench: unknown benchmark "
                + which
                + "; use sidecar, operator, operator-scale, migrations, webhook or drift");
        System.exit(2);
      }
    }
  }
}
