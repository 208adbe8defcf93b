package dev.pipescope.source.runs;

import dev.pipescope.domain.Layout;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.engine.EngineConnections;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Pipescope's own run history ({@code pipeline_runs}, V3 migration): every run of every pipeline, where
 * the adaptive pipeline tool keeps only the latest. Its {@link UnifiedRuns} also gathers the other sources'.
 */
public final class RunHistorySource implements Source {

    @Override
    public Layout layout() {
        return Layout.RUN_HISTORY;
    }

    @Override
    public Map<String, Set<String>> tables() {
        return Map.of("pipeline_runs", Set.of("id", "pipeline_id", "status", "attempt", "started_at",
                "finished_at", "updated_at", "duration_ms", "bytes_processed", "bytes_total", "chunks_processed",
                "chunks_total", "throughput_bytes_per_second", "compression_ratio", "error_count", "warning_count",
                "input_file_size_bytes", "output_file_size_bytes", "input_file_checksum", "output_file_checksum",
                "error_message"));
    }

    @Override
    public boolean createdByMigrations() {
        return true;
    }

    @Override
    public List<Class<?>> sqlClasses() {
        return List.of(RunSql.class);
    }

    /** Read by {@link UnifiedRuns} itself, column by column. */
    @Override
    public Optional<RunReader> runs(EngineConnections connections) {
        return Optional.empty();
    }

    /**
     * The run repository; {@code unified} reads this history (while {@code hasHistory} says the file holds it)
     * plus {@code otherSources}' runs. {@code requireHistory} fails the reads of {@code pipeline_runs} on a
     * file without it; {@code ensureHistory} adds it before the first write where the file can hold it, or fails.
     */
    public static SqlRunRepository repository(EngineConnections connections, Clock clock,
                                                 BooleanSupplier hasHistory, List<RunReader> otherSources,
                                                 Runnable requireHistory, Runnable ensureHistory) {
        return new SqlRunRepository(connections, clock, new UnifiedRuns(connections, hasHistory, otherSources),
                requireHistory, ensureHistory);
    }
}
