package dev.pipescope.store.memory;

import static dev.pipescope.domain.PipelineRules.required;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.PipelineRules;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.DuplicateNameException;
import dev.pipescope.error.NotFoundException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** {@link PipelineRepository} in plain collections, with the same contract as the SQLite one. */
final class MemoryPipelineRepository implements PipelineRepository {
    private static final String WHERE = "in-memory database";
    private final MemoryStore store;

    MemoryPipelineRepository(MemoryStore store) {
        this.store = store;
    }

    @Override
    public void save(Pipeline pipeline) {
        PipelineRules.validate(pipeline);
        store.write(() -> {
            rejectTaken(List.of(pipeline));
            put(stored(pipeline, pipeline.updatedAt()));
            return null;
        });
    }

    @Override
    public void saveAll(List<Pipeline> pipelines) {
        PipelineRules.validateBatch(pipelines);
        store.write(() -> {
            rejectTaken(pipelines);
            pipelines.forEach(p -> put(stored(p, p.updatedAt())));
            return null;
        });
    }

    /** Checks every aggregate before the first is stored, so a failure stores none. */
    private void rejectTaken(List<Pipeline> pipelines) {
        Set<String> stageIds = null;
        for (var pipeline : pipelines) {
            if (store.pipelines.containsKey(pipeline.id())) {
                throw new DuplicateIdException("pipeline id " + pipeline.id() + " is already stored in pipelines of the "
                        + WHERE);
            }
            var owner = store.idByName.get(pipeline.name());
            if (owner != null) {
                throw new DuplicateNameException("pipeline name '" + pipeline.name()
                        + "' is already taken in pipelines of the " + WHERE + " (by " + owner + ")");
            }
            if (stageIds == null) {
                stageIds = allStageIds(null);
            }
            rejectStageIds(pipeline, stageIds);
        }
    }

    private Set<String> allStageIds(String exceptPipeline) {
        var ids = new HashSet<String>();
        store.pipelines.values().stream().filter(p -> !p.id().equals(exceptPipeline))
                .forEach(p -> p.stages().forEach(s -> ids.add(s.id())));
        return ids;
    }

    private void rejectStageIds(Pipeline pipeline, Set<String> taken) {
        for (var stage : pipeline.stages()) {
            if (taken.contains(stage.id())) {
                throw new DuplicateIdException("cannot save pipeline '" + pipeline.name() + "' in the " + WHERE
                        + ": stage id " + stage.id() + " is already stored in pipeline_stages");
            }
        }
    }

    /** The aggregate as the SQLite store would give it back: children carry the owner's archived flag. */
    private static Pipeline stored(Pipeline p, Instant updatedAt) {
        return new Pipeline(p.id(), p.name(), p.archived(), p.createdAt(), updatedAt, p.stages(), p.configuration());
    }

    private void put(Pipeline pipeline) {
        store.pipelines.put(pipeline.id(), pipeline);
        store.idByName.put(pipeline.name(), pipeline.id());
    }

    @Override
    public Optional<Pipeline> findById(String id) {
        required(id, "pipeline id");
        return store.read(() -> Optional.ofNullable(store.pipelines.get(id)));
    }

    @Override
    public Pipeline update(Pipeline pipeline) {
        PipelineRules.validate(pipeline);
        return store.write(() -> {
            var previous = store.pipelines.get(pipeline.id());
            if (previous == null) {
                throw new NotFoundException("no pipeline with id " + pipeline.id() + " in pipelines of the " + WHERE);
            }
            var owner = store.idByName.get(pipeline.name());
            if (owner != null && !owner.equals(pipeline.id())) {
                throw new DuplicateNameException("pipeline name '" + pipeline.name()
                        + "' is already taken in pipelines of the " + WHERE + " (by " + owner + ")");
            }
            rejectStageIds(pipeline, allStageIds(pipeline.id()));
            store.idByName.remove(previous.name());
            var updated = stored(pipeline, Instant.now());
            put(updated);
            return updated;
        });
    }

    @Override
    public boolean delete(String id) {
        required(id, "pipeline id");
        return store.write(() -> {
            var removed = store.pipelines.remove(id);
            if (removed == null) {
                return false;
            }
            store.idByName.remove(removed.name());
            store.metrics.remove(id);
            store.runs.values().removeIf(r -> r.run().pipelineId().equals(id));
            store.latestRunStart.remove(id);
            return true;
        });
    }

    @Override
    public Optional<Pipeline> findByName(String name) {
        required(name, "pipeline name");
        return store.read(() -> Optional.ofNullable(store.idByName.get(name)).map(store.pipelines::get)
                .filter(p -> !p.archived()));
    }

    @Override
    public List<Pipeline> findAll() {
        return select(p -> !p.archived(), Comparator.comparing(Pipeline::name));
    }

    @Override
    public List<Pipeline> listAll() {
        return select(p -> true, Comparator.comparing(Pipeline::id));
    }

    @Override
    public List<Pipeline> listPaginated(long offset, int limit) {
        PipelineRules.validatePage(offset, limit);
        return store.read(() -> store.pipelines.values().stream().filter(p -> !p.archived())
                .skip(offset).limit(limit).toList());
    }

    @Override
    public List<Pipeline> listAfter(String afterId, int limit) {
        required(afterId, "afterId");
        PipelineRules.validatePage(0, limit);
        return store.read(() -> store.pipelines.tailMap(afterId, false).values().stream().filter(p -> !p.archived())
                .limit(limit).toList());
    }

    @Override
    public boolean exists(String id) {
        required(id, "pipeline id");
        return store.read(() -> store.pipelines.containsKey(id));
    }

    @Override
    public long count() {
        return store.read(() -> store.pipelines.values().stream().filter(p -> !p.archived()).count());
    }

    @Override
    public boolean archive(String id) {
        return setArchived(id, true);
    }

    @Override
    public boolean restore(String id) {
        return setArchived(id, false);
    }

    private boolean setArchived(String id, boolean archived) {
        required(id, "pipeline id");
        return store.write(() -> {
            var p = store.pipelines.get(id);
            if (p == null || p.archived() == archived) {
                return false;
            }
            var now = Instant.now();
            List<PipelineStage> stages = p.stages().stream().map(s -> new PipelineStage(s.id(), s.name(),
                    s.stageType(), s.enabled(), s.stageOrder(), s.algorithm(), s.parallelProcessing(), s.chunkSize(),
                    archived, s.createdAt(), now, s.parameters())).toList();
            put(new Pipeline(p.id(), p.name(), archived, p.createdAt(), now, stages, p.configuration()));
            return true;
        });
    }

    @Override
    public List<Pipeline> listArchived() {
        return select(Pipeline::archived, Comparator.comparing(Pipeline::id));
    }

    @Override
    public List<Pipeline> findByConfig(String key, String value) {
        required(key, "configuration key");
        required(value, "configuration value");
        return select(p -> !p.archived() && value.equals(p.configuration().get(key)),
                Comparator.comparing(Pipeline::name));
    }

    private List<Pipeline> select(Predicate<Pipeline> filter, Comparator<Pipeline> order) {
        return store.read(() -> store.pipelines.values().stream().filter(filter).sorted(order).toList());
    }
}
