package dev.pipescope.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.StageType;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.store.SqliteDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any aggregate survives save → load → update → load, on SQLite and in memory; any instant survives format → parse. */
class AggregateProperties {
    private static PipescopeDatabase sqlite;
    private static PipescopeDatabase memory;

    @BeforeContainer
    static void open() {
        sqlite = SqliteDatabase.memory();
        memory = Pipescope.inMemory();
    }

    private static final java.util.concurrent.atomic.AtomicLong AGGREGATES = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong INSTANTS = new java.util.concurrent.atomic.AtomicLong();

    @AfterContainer
    static void close() {
        sqlite.close();
        memory.close();
        dev.pipescope.reliability.ReliabilityReport.record("aggregate-properties", """
                jqwik: any pipeline aggregate (any valid unicode in names, keys and values) survives save, load,
                update, load unchanged on SQLite and in memory; any instant survives format then parse.""", Map.of(
                "aggregates through save, load, update, load (SQLite and in memory)", AGGREGATES.get(),
                "instants through format then parse", INSTANTS.get()));
    }

    @Property(tries = 200)
    void anyAggregateSurvivesSaveLoadUpdateLoad(@ForAll("pipelines") Pipeline pipeline,
                                                @ForAll("pipelines") Pipeline replacement) {
        for (var db : List.of(sqlite, memory)) {
            db.pipelines().save(pipeline);
            assertEquals(pipeline, db.pipelines().findById(pipeline.id()).orElseThrow());
            var changed = new Pipeline(pipeline.id(), replacement.name(), replacement.archived(), pipeline.createdAt(),
                    pipeline.updatedAt(), replacement.stages(), replacement.configuration());
            var stored = db.pipelines().update(changed);
            var loaded = db.pipelines().findById(pipeline.id()).orElseThrow();
            assertEquals(stored, loaded);
            assertEquals(changed.withUpdatedAt(stored.updatedAt()), loaded);
            db.pipelines().delete(pipeline.id());
        }
        AGGREGATES.incrementAndGet();
    }

    @Property(tries = 1000)
    void anyInstantSurvivesFormatThenParse(@ForAll("instants") Instant instant) {
        assertEquals(instant, Timestamps.parse(Timestamps.format(instant)));
        INSTANTS.incrementAndGet();
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(0, 253_402_300_799L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    private static Arbitrary<String> text() {
        // any valid unicode (quotes, SQL metacharacters, NUL, astral planes) but not blank
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30)
                .filter(s -> !s.isBlank() && s.codePoints().noneMatch(cp -> Character.isSurrogate((char) cp) && cp < 0x10000));
    }

    @Provide
    Arbitrary<Pipeline> pipelines() {
        var stage = Combinators.combine(text(), Arbitraries.of(StageType.class), text(), Arbitraries.of(true, false),
                        Arbitraries.longs().between(1, Long.MAX_VALUE).injectNull(0.3),
                        Arbitraries.maps(text(), text()).ofMaxSize(3), instants())
                .as((name, type, algorithm, flag, chunk, params, created) -> new PipelineStage(
                        dev.pipescope.domain.Ulid.next(), name, type, flag, 0, algorithm, !flag, chunk, false,
                        created, created, params));
        return Combinators.combine(text(), Arbitraries.of(true, false), stage.list().ofMaxSize(5),
                        Arbitraries.maps(text(), text()).ofMaxSize(4), instants())
                .as((name, archived, stages, config, created) -> {
                    var ordered = new ArrayList<PipelineStage>();
                    var names = new HashMap<String, Boolean>();
                    for (var s : stages) {
                        if (names.put(s.name(), true) == null) {
                            ordered.add(s.withStageOrder(ordered.size() * 3).withArchived(archived));
                        }
                    }
                    return new Pipeline(dev.pipescope.domain.Ulid.next(), name, archived, created, created, ordered,
                            Map.copyOf(config));
                });
    }
}
