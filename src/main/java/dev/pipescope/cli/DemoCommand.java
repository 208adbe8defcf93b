package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.demo.DemoData;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.ops.DatabaseInfo;
import dev.pipescope.ConnectionSettings;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipescope demo FILE}: the library's {@link dev.pipescope.demo.DemoData#create} on the command line. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Create a realistic demo database in a new file: pipelines with stages, weeks of runs with "
                + "failures and retries, DAGs with execution trees and snapshots. The same seed makes the same file.")
final class DemoCommand extends DatabaseCommand {
    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "small",
            description = "small (~5,000 runs), medium (100,000) or large (1,000,000); default: ${DEFAULT-VALUE}")
    String scale;

    @Option(names = "--runs", paramLabel = "N",
            description = "this many runs in total instead of the scale's, on the scale's shape (pipelines, weeks, DAGs)")
    Integer runs;

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: the demo's fixed seed)")
    Long seed;

    @Override
    boolean mayCreate() {
        return true;
    }

    @Override
    public Integer call() {
        var chosen = scale();
        var size = runs == null ? chosen.size() : chosen.size().withRuns(runs);
        long started = System.nanoTime();
        var progress = progress();
        var database = file();
        DemoData.create(database, size, seed == null ? DemoData.DEFAULT_SEED : seed, progress).close();
        ProgressBar.finish(progress);
        var elapsed = Duration.ofNanos(System.nanoTime() - started);
        DatabaseInfo info;
        try (var db = Pipescope.open(database, ConnectionSettings.readOnlyDefaults())) {
            info = DatabaseInfo.of(db);
        }
        if (json) {
            var node = Output.mapper().createObjectNode();
            node.put("file", info.file().toString());
            node.put("scale", chosen.name());
            node.put("seed", seed == null ? DemoData.DEFAULT_SEED : seed);
            node.put("sizeBytes", info.sizeBytes());
            node.put("elapsedMs", elapsed.toMillis());
            node.set("rowCounts", Output.mapper().valueToTree(info.rowCounts()));
            Output.json(out(), node);
        } else {
            out().printf(Locale.ROOT, "created %s (%s) in %.1f s: %d pipelines, %d runs, %d DAG snapshots%n",
                    info.file(), chosen.name().toLowerCase(Locale.ROOT), elapsed.toMillis() / 1000.0,
                    info.rowCounts().getOrDefault("pipelines", 0L), info.rowCounts().getOrDefault("pipeline_runs", 0L),
                    info.rowCounts().getOrDefault("snapshots", 0L));
            out().flush();
        }
        return ExitCodes.OK;
    }

    private DemoScale scale() {
        try {
            return DemoScale.valueOf(scale.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--scale is small, medium or large, not '" + scale + "'");
        }
    }
}
