package dev.pipescope.store.memory;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagStore;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.ops.Backups;
import dev.pipescope.ops.Health;
import dev.pipescope.ops.HealthReport;
import dev.pipescope.ops.NoDatabaseFileException;
import dev.pipescope.domain.EtlStore;
import dev.pipescope.domain.HyperpageStore;
import dev.pipescope.domain.RunRepository;
import dev.pipescope.error.LayoutNotPresentException;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A database in plain Java collections: nothing on disk, gone when dropped. Thread-safe. */
public final class MemoryDatabase implements PipescopeDatabase {
    private final MemoryStore store = new MemoryStore();
    private final MemoryPipelineRepository pipelines = new MemoryPipelineRepository(store);
    private final MemoryProcessingMetricsRepository metrics = new MemoryProcessingMetricsRepository(store);
    private final MemoryDagStore dags = new MemoryDagStore();
    private final MemoryRunRepository runs = new MemoryRunRepository(store, Clock.systemUTC());

    @Override
    public PipelineRepository pipelines() {
        return pipelines;
    }

    @Override
    public ProcessingMetricsRepository metrics() {
        return metrics;
    }

    @Override
    public DagStore dags() {
        return dags;
    }

    @Override
    public RunRepository runs() {
        return runs;
    }

    /** Always refused: Hyperpage's tables are another tool's layout, kept only in SQLite files. */
    @Override
    public HyperpageStore jobs() {
        throw new LayoutNotPresentException("the in-memory database holds no " + Layout.HYPERPAGE.description()
                + " tables; open a Hyperpage SQLite file with Pipescope.open");
    }

    /** Always refused: the ETL framework's tables are another tool's layout, kept only in SQLite files. */
    @Override
    public EtlStore etl() {
        throw new LayoutNotPresentException("the in-memory database holds no " + Layout.ETL.description()
                + " tables; open an ETL framework SQLite file with Pipescope.open");
    }

    @Override
    public Set<Layout> kinds() {
        return Set.of(Layout.ADAPTIVE_PIPELINE, Layout.DAGGER, Layout.RUN_HISTORY);
    }

    @Override
    public Optional<Path> path() {
        return Optional.empty();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /** Always refused: there is no file to copy. */
    @Override
    public Backups backups() {
        throw new NoDatabaseFileException("this database lives in Java collections (Pipescope.inMemory()) and has no "
                + "file to back up or restore; open a file with Pipescope.open(path) for backups");
    }

    @Override
    public HealthReport health() {
        var counts = store.read(() -> Map.of("pipelines", (long) store.pipelines.size(),
                "processing_metrics", (long) store.metrics.size()));
        return Health.inMemory(kinds(), counts, Instant.now());
    }

    @Override
    public String toString() {
        return "MemoryDatabase";
    }

    @Override
    public void close() {
        // nothing to release: the collections go with the object
    }
}
