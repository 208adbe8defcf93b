package dev.pipescope.store.memory;

import static dev.pipescope.domain.PipelineRules.required;

import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.error.NotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link ProcessingMetricsRepository} in plain collections. */
final class MemoryProcessingMetricsRepository implements ProcessingMetricsRepository {
    private final MemoryStore store;

    MemoryProcessingMetricsRepository(MemoryStore store) {
        this.store = store;
    }

    @Override
    public void upsert(ProcessingMetrics metrics) {
        required(metrics, "metrics");
        store.write(() -> {
            if (!store.pipelines.containsKey(metrics.pipelineId())) {
                throw new NotFoundException("no pipeline with id " + metrics.pipelineId()
                        + " in pipelines of the in-memory database; processing_metrics rows need one");
            }
            return store.metrics.put(metrics.pipelineId(), metrics);
        });
    }

    @Override
    public Optional<ProcessingMetrics> find(String pipelineId) {
        required(pipelineId, "pipeline id");
        return store.read(() -> Optional.ofNullable(store.metrics.get(pipelineId)));
    }

    @Override
    public List<ProcessingMetrics> list() {
        return store.read(() -> store.metrics.values().stream()
                .sorted(Comparator.comparing(ProcessingMetrics::pipelineId)).toList());
    }

    @Override
    public boolean delete(String pipelineId) {
        required(pipelineId, "pipeline id");
        return store.write(() -> store.metrics.remove(pipelineId) != null);
    }
}
