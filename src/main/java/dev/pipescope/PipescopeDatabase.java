package dev.pipescope;

import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.RunRepository;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * An open Pipescope database: the repositories over one database (a SQLite file, SQLite in memory, or a database
 * on a PostgreSQL server). Close it when done.
 *
 * <pre>{@code
 * try (var db = Pipescope.openReadOnly(Path.of("pipeline.db"))) {
 *     System.out.println(db.layouts());               // [ADAPTIVE_PIPELINE]
 *     db.pipelines().listActive().forEach(p -> System.out.println(p.name() + ": " + p.stageChain()));
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
    HyperpageStore hyperpage();

    /**
     * The Python ETL framework's jobs, components and executions (read only).
     *
     * @throws dev.pipescope.error.LayoutNotPresentException when the database holds no ETL tables
     */
    EtlStore etl();

    /**
     * Makes a writable file of the adaptive pipeline tool ready to record runs, as the first recorded run
     * would: it gains Flyway's history and {@code pipeline_runs}, nothing else. Nothing happens on a file
     * that already holds run history. Another tool's file is otherwise never changed by an open.
     *
     * @throws dev.pipescope.error.LayoutNotPresentException for a read-only file, or one without pipelines
     */
    void addRunHistory();

    /** Which known table layouts this database holds. */
    Set<Layout> layouts();

    /** The file, for a database on disk; empty in memory and on a server. */
    Optional<Path> path();

    /** True when opened read-only: every write is refused with a typed error. */
    boolean readOnly();

    /** The settings it was opened with (a restore reopens with the same). */
    ConnectionSettings settings();

    /** Its connections, for work that runs its own SQL ({@code %%sql}, backups, health). */
    Connections connections();

    @Override
    void close();
}
