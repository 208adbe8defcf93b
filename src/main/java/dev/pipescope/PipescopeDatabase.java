package dev.pipescope;

import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.ops.Backups;
import dev.pipescope.ops.HealthReport;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.RunRepository;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * An open Pipescope database: the repositories over one SQLite file (or memory). Close it when done.
 *
 * <pre>{@code
 * try (var db = Pipescope.openReadOnly(Path.of("pipeline.db"))) {
 *     System.out.println(db.kinds());               // [ADAPTIVE_PIPELINE]
 *     db.pipelines().findAll().forEach(p -> System.out.println(p.name() + ": " + p.stageChain()));
 * }
 * }</pre>
 */
public interface PipescopeDatabase extends AutoCloseable {

    /** Pipeline aggregates (the adaptive pipeline tool's tables). */
    PipelineRepository pipelines();

    /** The latest run's metrics per pipeline ({@code processing_metrics}). */
    ProcessingMetricsRepository metrics();

    /** The dagger DAG-flow engine's state: artifacts, execution trees, snapshots, execution state. */
    DagStore dags();

    /**
     * Every run of every pipeline ({@code pipeline_runs}: start, progress, finish, stats, stale runs), and
     * {@link RunRepository#unified} over every run source the database holds.
     */
    RunRepository runs();

    /**
     * Hyperpage's job queue, tool settings, rate limits and app state.
     *
     * @throws dev.pipescope.error.LayoutNotPresentException when the database holds no Hyperpage tables
     */
    HyperpageStore jobs();

    /**
     * The Python ETL framework's jobs, components and executions (read only).
     *
     * @throws dev.pipescope.error.LayoutNotPresentException when the database holds no ETL tables
     */
    EtlStore etl();

    /** Which known table layouts this database holds. */
    Set<Layout> kinds();

    /** The file, for a database on disk. */
    Optional<Path> path();

    /** True when opened read-only: every write is refused with a typed error. */
    boolean readOnly();

    /**
     * Backups of this database's file, kept in {@code backups/} beside it ({@code .in(dir)} for another folder).
     * A restore closes this database: continue with {@code restore(b).reopen()}.
     *
     * @throws dev.pipescope.ops.NoDatabaseFileException for a database that has no file
     */
    Backups backups();

    /** Connectivity, schema, integrity, sizes, last backup and row counts, with a verdict and its reasons. */
    HealthReport health();

    @Override
    void close();
}
