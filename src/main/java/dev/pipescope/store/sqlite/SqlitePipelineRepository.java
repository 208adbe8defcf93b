package dev.pipescope.store.sqlite;

import static dev.pipescope.domain.PipelineRules.required;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.PipelineRules;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.StageType;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.DuplicateNameException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.store.sqlite.PipelineSql.AggregateQueries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** {@link PipelineRepository} over the adaptive pipeline tool's tables. */
final class SqlitePipelineRepository implements PipelineRepository {
    private final SqliteConnections db;

    SqlitePipelineRepository(SqliteConnections connections) {
        this.db = connections;
    }

    @Override
    public void save(Pipeline pipeline) {
        PipelineRules.validate(pipeline);
        db.write("save pipeline '" + pipeline.name() + "' in pipelines", h -> {
            insertAggregates(h, List.of(pipeline));
            return null;
        });
    }

    @Override
    public void saveAll(List<Pipeline> pipelines) {
        PipelineRules.validateBatch(pipelines);
        if (pipelines.isEmpty()) {
            return;
        }
        db.write("save " + pipelines.size() + " pipelines in pipelines", h -> {
            insertAggregates(h, pipelines);
            return null;
        });
    }

    private void insertAggregates(Handle h, List<Pipeline> pipelines) {
        for (var pipeline : pipelines) {
            rejectTaken(h, pipeline);
        }
        var pipelineBatch = h.prepareBatch(PipelineSql.INSERT_PIPELINE);
        var stageBatch = h.prepareBatch(PipelineSql.INSERT_STAGE);
        var parameterBatch = h.prepareBatch(PipelineSql.INSERT_PARAMETER);
        var configurationBatch = h.prepareBatch(PipelineSql.INSERT_CONFIGURATION);
        for (var pipeline : pipelines) {
            pipelineBatch.bind("id", pipeline.id()).bind("name", pipeline.name())
                    .bind("archived", pipeline.archived())
                    .bind("createdAt", Timestamps.format(pipeline.createdAt()))
                    .bind("updatedAt", Timestamps.format(pipeline.updatedAt()))
                    .add();
            addChildren(pipeline, pipeline.updatedAt(), stageBatch, parameterBatch, configurationBatch);
        }
        try {
            executeAll(pipelineBatch, stageBatch, parameterBatch, configurationBatch);
        } catch (RuntimeException e) {
            throw duplicateOr(e, pipelines);
        }
    }

    /** Child rows carry their owner's timestamps and archived flag, as upstream writes them. */
    private static void addChildren(Pipeline pipeline, Instant updatedAt, PreparedBatch stages,
                                    PreparedBatch parameters, PreparedBatch configuration) {
        for (var stage : pipeline.stages()) {
            stages.bind("id", stage.id()).bind("pipelineId", pipeline.id()).bind("name", stage.name())
                    .bind("stageType", stage.stageType().dbValue()).bind("enabled", stage.enabled())
                    .bind("stageOrder", stage.stageOrder()).bind("algorithm", stage.algorithm())
                    .bind("parallelProcessing", stage.parallelProcessing()).bind("chunkSize", stage.chunkSize())
                    .bind("archived", stage.archived())
                    .bind("createdAt", Timestamps.format(stage.createdAt()))
                    .bind("updatedAt", Timestamps.format(stage.updatedAt()))
                    .add();
            for (var parameter : stage.sortedParameters().entrySet()) {
                parameters.bind("stageId", stage.id()).bind("key", parameter.getKey())
                        .bind("value", parameter.getValue()).bind("archived", stage.archived())
                        .bind("createdAt", Timestamps.format(stage.createdAt()))
                        .bind("updatedAt", Timestamps.format(stage.updatedAt()))
                        .add();
            }
        }
        for (var entry : new java.util.TreeMap<>(pipeline.configuration()).entrySet()) {
            configuration.bind("pipelineId", pipeline.id()).bind("key", entry.getKey())
                    .bind("value", entry.getValue()).bind("archived", pipeline.archived())
                    .bind("createdAt", Timestamps.format(pipeline.createdAt()))
                    .bind("updatedAt", Timestamps.format(updatedAt))
                    .add();
        }
    }

    private static void executeAll(PreparedBatch... batches) {
        for (var batch : batches) {
            if (batch.size() > 0) {
                batch.execute();
            }
        }
    }

    private void rejectTaken(Handle h, Pipeline pipeline) {
        if (exists(h, pipeline.id())) {
            throw new DuplicateIdException("pipeline id " + pipeline.id() + " is already stored in pipelines of "
                    + db.file());
        }
        nameOwner(h, pipeline.name()).ifPresent(owner -> {
            throw new DuplicateNameException("pipeline name '" + pipeline.name() + "' is already taken in pipelines of "
                    + db.file() + " (by " + owner + ")");
        });
    }

    private RuntimeException duplicateOr(RuntimeException e, List<Pipeline> pipelines) {
        if (SqliteErrors.isConstraint(e)) {
            // names and pipeline ids were checked first, so this is a stage id used elsewhere
            return new DuplicateIdException("cannot save " + describe(pipelines) + " in " + db.file() + ": "
                    + SqliteErrors.messageOf(e), e);
        }
        return e;
    }

    private static String describe(List<Pipeline> pipelines) {
        return pipelines.size() == 1 ? "pipeline '" + pipelines.get(0).name() + "'" : pipelines.size() + " pipelines";
    }

    private static boolean exists(Handle h, String id) {
        return h.createQuery(PipelineSql.EXISTS).bind("id", id).mapTo(Boolean.class).one();
    }

    private static Optional<String> nameOwner(Handle h, String name) {
        return h.createQuery(PipelineSql.NAME_TAKEN).bind("name", name).mapTo(String.class).findOne();
    }

    @Override
    public Optional<Pipeline> findById(String id) {
        required(id, "pipeline id");
        return db.read("find pipeline " + id, h -> load(h, PipelineSql.BY_ID, Map.of("id", id)))
                .stream().findFirst();
    }

    @Override
    public Pipeline update(Pipeline pipeline) {
        PipelineRules.validate(pipeline);
        return db.write("update pipeline '" + pipeline.name() + "' in pipelines", h -> {
            if (!exists(h, pipeline.id())) {
                throw new NotFoundException("no pipeline with id " + pipeline.id() + " in pipelines of " + db.file());
            }
            nameOwner(h, pipeline.name()).filter(owner -> !owner.equals(pipeline.id())).ifPresent(owner -> {
                throw new DuplicateNameException("pipeline name '" + pipeline.name() + "' is already taken in pipelines of "
                        + db.file() + " (by " + owner + ")");
            });
            var now = Instant.now();
            h.createUpdate(PipelineSql.UPDATE_PIPELINE).bind("id", pipeline.id()).bind("name", pipeline.name())
                    .bind("archived", pipeline.archived()).bind("updatedAt", Timestamps.format(now)).execute();
            h.createUpdate(PipelineSql.DELETE_STAGES_OF).bind("id", pipeline.id()).execute();
            h.createUpdate(PipelineSql.DELETE_CONFIGURATION_OF).bind("id", pipeline.id()).execute();
            var stageBatch = h.prepareBatch(PipelineSql.INSERT_STAGE);
            var parameterBatch = h.prepareBatch(PipelineSql.INSERT_PARAMETER);
            var configurationBatch = h.prepareBatch(PipelineSql.INSERT_CONFIGURATION);
            addChildren(pipeline, now, stageBatch, parameterBatch, configurationBatch);
            try {
                executeAll(stageBatch, parameterBatch, configurationBatch);
            } catch (RuntimeException e) {
                throw duplicateOr(e, List.of(pipeline));
            }
            return load(h, PipelineSql.BY_ID, Map.of("id", pipeline.id())).get(0);
        });
    }

    @Override
    public boolean delete(String id) {
        required(id, "pipeline id");
        return db.write("delete pipeline " + id + " from pipelines",
                h -> h.createUpdate(PipelineSql.DELETE_PIPELINE).bind("id", id).execute() > 0);
    }

    @Override
    public Optional<Pipeline> findByName(String name) {
        required(name, "pipeline name");
        return db.read("find pipeline named '" + name + "'", h -> load(h, PipelineSql.BY_NAME, Map.of("name", name)))
                .stream().findFirst();
    }

    @Override
    public List<Pipeline> findAll() {
        return db.read("list pipelines", h -> load(h, PipelineSql.ACTIVE_BY_NAME, Map.of()));
    }

    @Override
    public List<Pipeline> listAll() {
        return db.read("list all pipelines", h -> load(h, PipelineSql.ALL_BY_ID, Map.of()));
    }

    @Override
    public List<Pipeline> listPaginated(long offset, int limit) {
        PipelineRules.validatePage(offset, limit);
        return db.read("list a page of pipelines",
                h -> load(h, PipelineSql.ACTIVE_PAGE, Map.of("offset", offset, "limit", limit)));
    }

    @Override
    public boolean exists(String id) {
        required(id, "pipeline id");
        return db.read("check pipeline " + id, h -> exists(h, id));
    }

    @Override
    public long count() {
        return db.read("count pipelines", h -> h.createQuery(PipelineSql.COUNT_ACTIVE).mapTo(Long.class).one());
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
        return db.write((archived ? "archive" : "restore") + " pipeline " + id, h -> {
            var now = Timestamps.format(Instant.now());
            int changed = h.createUpdate(PipelineSql.SET_ARCHIVED_PIPELINE).bind("id", id).bind("archived", archived)
                    .bind("updatedAt", now).execute();
            if (changed == 0) {
                return false;
            }
            for (var sql : List.of(PipelineSql.SET_ARCHIVED_STAGES, PipelineSql.SET_ARCHIVED_PARAMETERS,
                    PipelineSql.SET_ARCHIVED_CONFIGURATION)) {
                h.createUpdate(sql).bind("id", id).bind("archived", archived).bind("updatedAt", now).execute();
            }
            return true;
        });
    }

    @Override
    public List<Pipeline> listArchived() {
        return db.read("list archived pipelines", h -> load(h, PipelineSql.ARCHIVED_BY_ID, Map.of()));
    }

    @Override
    public List<Pipeline> findByConfig(String key, String value) {
        required(key, "configuration key");
        required(value, "configuration value");
        return db.read("find pipelines with " + key + "=" + value,
                h -> load(h, PipelineSql.BY_CONFIG, Map.of("key", key, "value", value)));
    }

    /** A pipelines row before its children are attached. */
    private record PipelineRow(String id, String name, boolean archived, Instant createdAt, Instant updatedAt) {}

    /** A stage row joined with one of its parameters (key and value null for a stage without any). */
    private record StageParameterRow(String pipelineId, PipelineStage stage, String key, String value) {}

    /** A configuration row. */
    private record ConfigurationRow(String pipelineId, String key, String value) {}

    private static List<Pipeline> load(Handle h, AggregateQueries queries, Map<String, Object> arguments) {
        var rows = h.createQuery(queries.pipelines()).bindMap(arguments)
                .map((rs, ctx) -> new PipelineRow(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        Timestamps.parse(rs.getString(4)), Timestamps.parse(rs.getString(5))))
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        var stageRows = h.createQuery(queries.stagesWithParameters()).bindMap(arguments).map((rs, ctx) -> {
            long chunk = rs.getLong(9);
            Long chunkSize = rs.wasNull() ? null : chunk;
            var stage = new PipelineStage(rs.getString(1), rs.getString(3), StageType.fromDb(rs.getString(4)),
                    rs.getBoolean(5), rs.getInt(6), rs.getString(7), rs.getBoolean(8), chunkSize, rs.getBoolean(10),
                    Timestamps.parse(rs.getString(11)), Timestamps.parse(rs.getString(12)), Map.of());
            return new StageParameterRow(rs.getString(2), stage, rs.getString(13), rs.getString(14));
        }).list();
        var configurationRows = h.createQuery(queries.configuration()).bindMap(arguments)
                .map((rs, ctx) -> new ConfigurationRow(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
        return assemble(rows, stageRows, configurationRows);
    }

    private static List<Pipeline> assemble(List<PipelineRow> rows, List<StageParameterRow> stageRows,
                                           List<ConfigurationRow> configurationRows) {
        var stages = new LinkedHashMap<String, StageParameterRow>();
        var parameters = new HashMap<String, Map<String, String>>();
        for (var row : stageRows) {
            stages.putIfAbsent(row.stage().id(), row);
            var stageParameters = parameters.computeIfAbsent(row.stage().id(), k -> new HashMap<>());
            if (row.key() != null) {
                stageParameters.put(row.key(), row.value());
            }
        }
        var stagesByPipeline = new HashMap<String, List<PipelineStage>>();
        for (var row : stages.values()) {
            var s = row.stage();
            stagesByPipeline.computeIfAbsent(row.pipelineId(), k -> new ArrayList<>()).add(new PipelineStage(s.id(),
                    s.name(), s.stageType(), s.enabled(), s.stageOrder(), s.algorithm(), s.parallelProcessing(),
                    s.chunkSize(), s.archived(), s.createdAt(), s.updatedAt(), parameters.get(s.id())));
        }
        var configuration = new HashMap<String, Map<String, String>>();
        for (var row : configurationRows) {
            configuration.computeIfAbsent(row.pipelineId(), k -> new HashMap<>()).put(row.key(), row.value());
        }
        var result = new ArrayList<Pipeline>(rows.size());
        for (var row : rows) {
            result.add(new Pipeline(row.id(), row.name(), row.archived(), row.createdAt(), row.updatedAt(),
                    stagesByPipeline.getOrDefault(row.id(), List.of()),
                    configuration.getOrDefault(row.id(), Map.of())));
        }
        return result;
    }
}
