package dev.pipescope.source.pipeline;

import dev.pipescope.domain.Arguments;

import dev.pipescope.engine.NamedParameters;

import dev.pipescope.engine.EngineConnections;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.PipelineRules;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.DuplicateNameException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.source.pipeline.PipelineSql.AggregateQuery;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link PipelineRepository} over the adaptive pipeline tool's tables. */
final class SqlPipelineRepository implements PipelineRepository {
    private final EngineConnections db;

    SqlPipelineRepository(EngineConnections connections) {
        this.db = connections;
    }

    @Override
    public void save(Pipeline pipeline) {
        PipelineRules.validate(pipeline);
        insert(List.of(pipeline));
    }

    @Override
    public void saveAll(List<Pipeline> pipelines) {
        PipelineRules.validateBatch(pipelines);
        if (!pipelines.isEmpty()) {
            insert(pipelines);
        }
    }

    /**
     * Inserts optimistically and lets SQLite's constraints catch taken names and ids: checking each
     * aggregate first would double the statements of a batch. Only when a constraint fails (and the
     * transaction has rolled back) are the aggregates examined to say which one clashed.
     */
    private void insert(List<Pipeline> pipelines) {
        try {
            db.write("save " + describe(pipelines) + " in pipelines", h -> {
                insertAggregates(h, pipelines);
                return null;
            });
        } catch (PipescopeException e) {
            if (db.isConstraint(e)) {
                throw explainConflict(pipelines, e);
            }
            throw e;
        }
    }

    private PipescopeException explainConflict(List<Pipeline> pipelines, PipescopeException failure) {
        return db.read("explain why saving " + describe(pipelines) + " failed", h -> {
            for (var pipeline : pipelines) {
                try {
                    rejectTaken(h, pipeline);
                } catch (PipescopeException taken) {
                    taken.addSuppressed(failure);
                    return taken;
                }
            }
            // names and pipeline ids are free, so a stage id is used by another pipeline
            return new DuplicateIdException("cannot save " + describe(pipelines) + " in " + db.location() + ": "
                    + db.messageOf(failure), failure);
        });
    }

    private void insertAggregates(Handle h, List<Pipeline> pipelines) {
        var rows = AggregateRows.on(db, h);
        for (var pipeline : pipelines) {
            rows.pipeline(pipeline);
            rows.children(pipeline, pipeline.updatedAt());
        }
        rows.execute();
    }

    /**
     * The rows of whole aggregates, added to JDBC batches of the connection's cached statements.
     * Plain positional JDBC here, not Jdbi's named binding: a batch save of 10,000 aggregates binds
     * about 400,000 values, and Jdbi's per-value argument resolution made it 0.74x of raw JDBC.
     */
    private static final class AggregateRows {
        private final PreparedStatement pipelines;
        private final PreparedStatement stages;
        private final PreparedStatement parameters;
        private final PreparedStatement configuration;
        private int pipelineRows;
        private int stageRows;
        private int parameterRows;
        private int configurationRows;

        private AggregateRows(EngineConnections db, Handle h) throws SQLException {
            pipelines = db.prepared(h, NamedParameters.positional(PipelineSql.INSERT_PIPELINE));
            stages = db.prepared(h, NamedParameters.positional(PipelineSql.INSERT_STAGE));
            parameters = db.prepared(h, NamedParameters.positional(PipelineSql.INSERT_PARAMETER));
            configuration = db.prepared(h, NamedParameters.positional(PipelineSql.INSERT_CONFIGURATION));
        }

        static AggregateRows on(EngineConnections db, Handle h) {
            try {
                return new AggregateRows(db, h);
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }

        void pipeline(Pipeline p) {
            try {
                pipelines.setString(1, p.id());
                pipelines.setString(2, p.name());
                pipelines.setBoolean(3, p.archived());
                pipelines.setString(4, Timestamps.format(p.createdAt()));
                pipelines.setString(5, Timestamps.format(p.updatedAt()));
                pipelines.addBatch();
                pipelineRows++;
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }

        /** Child rows carry their owner's timestamps and archived flag, as upstream writes them. */
        void children(Pipeline pipeline, Instant updatedAt) {
            try {
                for (var stage : pipeline.stages()) {
                    var created = Timestamps.format(stage.createdAt());
                    var updated = Timestamps.format(stage.updatedAt());
                    stages.setString(1, stage.id());
                    stages.setString(2, pipeline.id());
                    stages.setString(3, stage.name());
                    stages.setString(4, stage.stageType().dbValue());
                    stages.setBoolean(5, stage.enabled());
                    stages.setInt(6, stage.stageOrder());
                    stages.setString(7, stage.algorithm());
                    stages.setBoolean(8, stage.parallelProcessing());
                    if (stage.chunkSize() == null) {
                        stages.setNull(9, Types.INTEGER);
                    } else {
                        stages.setLong(9, stage.chunkSize());
                    }
                    stages.setBoolean(10, stage.archived());
                    stages.setString(11, created);
                    stages.setString(12, updated);
                    stages.addBatch();
                    stageRows++;
                    for (var parameter : stage.sortedParameters().entrySet()) {
                        parameters.setString(1, stage.id());
                        parameters.setString(2, parameter.getKey());
                        parameters.setString(3, parameter.getValue());
                        parameters.setBoolean(4, stage.archived());
                        parameters.setString(5, created);
                        parameters.setString(6, updated);
                        parameters.addBatch();
                        parameterRows++;
                    }
                }
                var created = Timestamps.format(pipeline.createdAt());
                var updated = Timestamps.format(updatedAt);
                for (var entry : new java.util.TreeMap<>(pipeline.configuration()).entrySet()) {
                    configuration.setString(1, pipeline.id());
                    configuration.setString(2, entry.getKey());
                    configuration.setString(3, entry.getValue());
                    configuration.setBoolean(4, pipeline.archived());
                    configuration.setString(5, created);
                    configuration.setString(6, updated);
                    configuration.addBatch();
                    configurationRows++;
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }

        /** Executes the batches, parents before children; a failure clears what is left queued. */
        void execute() {
            try {
                if (pipelineRows > 0) {
                    pipelines.executeBatch();
                }
                if (stageRows > 0) {
                    stages.executeBatch();
                }
                if (parameterRows > 0) {
                    parameters.executeBatch();
                }
                if (configurationRows > 0) {
                    configuration.executeBatch();
                }
            } catch (SQLException e) {
                for (var statement : List.of(pipelines, stages, parameters, configuration)) {
                    try {
                        statement.clearBatch();
                    } catch (SQLException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
                throw new UnableToExecuteStatementException(e, null);
            }
        }
    }

    private void rejectTaken(Handle h, Pipeline pipeline) {
        if (exists(h, pipeline.id())) {
            throw new DuplicateIdException("pipeline id " + pipeline.id() + " is already stored in pipelines of "
                    + db.location());
        }
        nameOwner(h, pipeline.name()).ifPresent(owner -> {
            throw new DuplicateNameException("pipeline name '" + pipeline.name() + "' is already taken in pipelines of "
                    + db.location() + " (by " + owner + ")");
        });
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
        return db.query("find pipeline " + id, h -> load(h, PipelineSql.BY_ID, Map.of("id", id)))
                .stream().findFirst();
    }

    @Override
    public Pipeline update(Pipeline pipeline) {
        PipelineRules.validate(pipeline);
        return db.write("update pipeline '" + pipeline.name() + "' in pipelines", h -> {
            if (!exists(h, pipeline.id())) {
                throw new NotFoundException("no pipeline with id " + pipeline.id() + " in pipelines of " + db.location());
            }
            nameOwner(h, pipeline.name()).filter(owner -> !owner.equals(pipeline.id())).ifPresent(owner -> {
                throw new DuplicateNameException("pipeline name '" + pipeline.name() + "' is already taken in pipelines of "
                        + db.location() + " (by " + owner + ")");
            });
            var now = Instant.now();
            h.createUpdate(PipelineSql.UPDATE_PIPELINE).bind("id", pipeline.id()).bind("name", pipeline.name())
                    .bind("archived", pipeline.archived()).bind("updatedAt", Timestamps.format(now)).execute();
            h.createUpdate(PipelineSql.DELETE_STAGES_OF).bind("id", pipeline.id()).execute();
            h.createUpdate(PipelineSql.DELETE_CONFIGURATION_OF).bind("id", pipeline.id()).execute();
            var rows = AggregateRows.on(db, h);
            rows.children(pipeline, now);
            try {
                rows.execute();
            } catch (RuntimeException e) {
                if (db.isConstraint(e)) {
                    // name and id were checked above, so a stage id is used by another pipeline
                    throw new DuplicateIdException("cannot update pipeline '" + pipeline.name() + "' in " + db.location()
                            + ": " + db.messageOf(e), e);
                }
                throw e;
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
        return db.query("find pipeline named '" + name + "'", h -> load(h, PipelineSql.BY_NAME, Map.of("name", name)))
                .stream().findFirst();
    }

    @Override
    public List<Pipeline> listActive() {
        return db.query("list pipelines", h -> load(h, PipelineSql.ACTIVE_BY_NAME, Map.of()));
    }

    @Override
    public List<Pipeline> listIncludingArchived() {
        return db.query("list all pipelines", h -> load(h, PipelineSql.ALL_BY_ID, Map.of()));
    }

    @Override
    public List<Pipeline> listPaginated(long offset, int limit) {
        Arguments.validatePage(offset, limit);
        return db.query("list a page of pipelines",
                h -> load(h, PipelineSql.ACTIVE_PAGE, Map.of("offset", offset, "limit", limit)));
    }

    @Override
    public List<Pipeline> listAfter(String afterId, int limit) {
        required(afterId, "afterId");
        Arguments.validatePage(0, limit);
        return db.query("list the pipelines after " + afterId,
                h -> load(h, PipelineSql.ACTIVE_AFTER, Map.of("after", afterId, "limit", limit)));
    }

    @Override
    public boolean exists(String id) {
        required(id, "pipeline id");
        return db.query("check pipeline " + id, h -> exists(h, id));
    }

    @Override
    public long count() {
        return db.query("count pipelines", h -> h.createQuery(PipelineSql.COUNT_ACTIVE).mapTo(Long.class).one());
    }

    @Override
    public boolean archive(String id) {
        return setArchived(id, true);
    }

    @Override
    public boolean unarchive(String id) {
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
        return db.query("list archived pipelines", h -> load(h, PipelineSql.ARCHIVED_BY_ID, Map.of()));
    }

    @Override
    public List<Pipeline> listByConfig(String key, String value) {
        required(key, "configuration key");
        required(value, "configuration value");
        return db.query("find pipelines with " + key + "=" + value,
                h -> load(h, PipelineSql.BY_CONFIG, Map.of("key", key, "value", value)));
    }

    private List<Pipeline> load(Handle h, AggregateQuery query, Map<String, Object> arguments) {
        return AggregateReader.all(db, h, query, arguments);
    }
}
