package dev.pipescope.source.pipeline;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineRepository;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.ProcessingMetrics;
import dev.pipescope.domain.ProcessingMetricsRepository;
import dev.pipescope.domain.StageType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.PipescopeDatabase;
import dev.pipescope.error.DuplicateIdException;
import dev.pipescope.error.DuplicateNameException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.InvalidPipelineException;
import dev.pipescope.error.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PipelineRepository} and {@link ProcessingMetricsRepository} must have.
 * Each storage gets a subclass that says how to open a fresh, empty database.
 */
public abstract class PipelineRepositoryContract {
    protected PipescopeDatabase db;
    protected PipelineRepository pipelines;
    protected ProcessingMetricsRepository metrics;

    /** A fresh, empty, writable database. */
    protected abstract PipescopeDatabase openEmpty() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = openEmpty();
        pipelines = db.pipelines();
        metrics = db.metrics();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static final Instant T0 = Instant.parse("2025-10-09T05:06:40.893316984Z");

    static Pipeline pipeline(String name) {
        return Pipeline.builder(name)
                .createdAt(T0)
                .stage(PipelineStage.builder("compress", StageType.COMPRESSION, "zstd")
                        .chunkSize(1_048_576).parameter("algorithm", "zstd").parameter("compression_level", "3"))
                .stage(PipelineStage.builder("encrypt", StageType.ENCRYPTION, "aes256gcm")
                        .parameter("algorithm", "aes256gcm"))
                .config("max_workers", "4")
                .config("output_dir", "/data/out/" + name)
                .build();
    }

    @Test
    void savedAggregateReadsBackEqualById() {
        var p = pipeline("compress-logs");
        pipelines.save(p);
        assertEquals(Optional.of(p), pipelines.findById(p.id()));
        assertEquals(4, p.stages().size(), "builder adds the two checksum stages");
        assertEquals("sha256 → zstd → aes256gcm → sha256", pipelines.findById(p.id()).orElseThrow().stageChain());
    }

    @Test
    void stagesComeBackOrderedByStageOrder() {
        var p = pipeline("ordered");
        var reversed = new ArrayList<>(p.stages());
        java.util.Collections.reverse(reversed);
        pipelines.save(p.withStages(reversed));
        var orders = pipelines.findById(p.id()).orElseThrow().stages().stream().map(PipelineStage::stageOrder).toList();
        assertEquals(List.of(0, 1, 2, 3), orders);
    }

    @Test
    void findByNameSeesActivePipelinesOnly() {
        var p = pipeline("by-name");
        pipelines.save(p);
        assertEquals(p.id(), pipelines.findByName("by-name").orElseThrow().id());
        assertTrue(pipelines.archive(p.id()));
        assertEquals(Optional.empty(), pipelines.findByName("by-name"));
        assertTrue(pipelines.findById(p.id()).orElseThrow().archived());
    }

    @Test
    void missingPipelinesAreEmptyNotErrors() {
        assertEquals(Optional.empty(), pipelines.findById("01K73NTFKXP8H012G5MV268WAS"));
        assertEquals(Optional.empty(), pipelines.findByName("nope"));
        assertFalse(pipelines.exists("01K73NTFKXP8H012G5MV268WAS"));
        assertFalse(pipelines.delete("01K73NTFKXP8H012G5MV268WAS"));
        assertFalse(pipelines.archive("01K73NTFKXP8H012G5MV268WAS"));
        assertFalse(pipelines.unarchive("01K73NTFKXP8H012G5MV268WAS"));
    }

    @Test
    void duplicateNameIsRefusedAndNothingIsWritten() {
        var first = pipeline("dup");
        pipelines.save(first);
        var second = pipeline("dup");
        var e = assertThrows(DuplicateNameException.class, () -> pipelines.save(second));
        assertTrue(e.getMessage().contains("'dup'"), e.getMessage());
        assertTrue(e.getMessage().contains("pipelines"), e.getMessage());
        assertFalse(pipelines.exists(second.id()));
        assertEquals(1, pipelines.count());
    }

    @Test
    void archivedNamesStayTaken() {
        var first = pipeline("kept");
        pipelines.save(first);
        pipelines.archive(first.id());
        assertThrows(DuplicateNameException.class, () -> pipelines.save(pipeline("kept")));
    }

    @Test
    void duplicateIdIsRefused() {
        var first = pipeline("one");
        pipelines.save(first);
        var sameId = pipeline("two");
        sameId = new Pipeline(first.id(), "two", false, sameId.createdAt(), sameId.updatedAt(), List.of(), Map.of());
        var copy = sameId;
        assertThrows(DuplicateIdException.class, () -> pipelines.save(copy));
        assertEquals("one", pipelines.findById(first.id()).orElseThrow().name());
    }

    @Test
    void stageIdUsedByAnotherPipelineIsRefusedWhole() {
        var first = pipeline("first");
        pipelines.save(first);
        var second = pipeline("second");
        var stolen = new ArrayList<>(second.stages());
        stolen.set(1, first.stages().get(1).withStageOrder(1));
        var bad = second.withStages(stolen);
        assertThrows(DuplicateIdException.class, () -> pipelines.save(bad));
        assertFalse(pipelines.exists(bad.id()), "no half-written aggregate");
        assertEquals(Optional.empty(), pipelines.findByName("second"));
    }

    @Test
    void invalidPipelinesAreRefusedWithTheReason() {
        var blank = pipeline("x").withName("  ");
        var e = assertThrows(InvalidPipelineException.class, () -> pipelines.save(blank));
        assertTrue(e.getMessage().contains("blank name"), e.getMessage());
        var p = pipeline("orders");
        var clash = new ArrayList<>(p.stages());
        clash.set(2, clash.get(2).withStageOrder(1));
        var twice = p.withStages(clash);
        var e2 = assertThrows(InvalidPipelineException.class, () -> pipelines.save(twice));
        assertTrue(e2.getMessage().contains("stage order 1"), e2.getMessage());
        assertEquals(0, pipelines.count());
    }

    @Test
    void textSqliteCannotStoreIsRefusedNamingTheField() {
        var lone = pipeline("ok").withConfiguration(Map.of("max_workers", "4\uD800"));
        var e = assertThrows(InvalidPipelineException.class, () -> pipelines.save(lone));
        assertTrue(e.getMessage().contains("configuration 'max_workers'") && e.getMessage().contains("U+D800"),
                e.getMessage());
        assertEquals(0, pipelines.count());
        var astral = pipeline("emoji-\uD83D\uDE80"); // a valid surrogate pair
        pipelines.save(astral);
        assertEquals(astral, pipelines.findById(astral.id()).orElseThrow());
    }

    @Test
    void saveAllIsAllOrNothing() {
        pipelines.save(pipeline("taken"));
        var batch = List.of(pipeline("a"), pipeline("b"), pipeline("taken"));
        assertThrows(DuplicateNameException.class, () -> pipelines.saveAll(batch));
        assertEquals(1, pipelines.count());
        assertEquals(Optional.empty(), pipelines.findByName("a"));
        pipelines.saveAll(List.of(pipeline("a"), pipeline("b")));
        assertEquals(3, pipelines.count());
    }

    @Test
    void saveAllRefusesNamesRepeatedWithinTheBatch() {
        assertThrows(DuplicateNameException.class, () -> pipelines.saveAll(List.of(pipeline("s"), pipeline("s"))));
        assertEquals(0, pipelines.count());
    }

    @Test
    void updateReplacesTheWholeAggregate() {
        var p = pipeline("to-update");
        pipelines.save(p);
        var stages = new ArrayList<>(p.stages());
        stages.remove(2); // drop encryption
        var changedStage = stages.get(1);
        stages.set(1, PipelineStage.builder(changedStage.name(), StageType.COMPRESSION, "brotli")
                .id(changedStage.id()).order(1).createdAt(changedStage.createdAt())
                .parameter("algorithm", "brotli").parameter("compression_level", "11").build());
        stages.set(2, stages.get(2).withStageOrder(2));
        var changed = p.withName("renamed").withStages(stages).withConfiguration(Map.of("max_workers", "8"));
        var stored = pipelines.update(changed);
        assertTrue(stored.updatedAt().isAfter(p.updatedAt()));
        var reread = pipelines.findById(p.id()).orElseThrow();
        assertEquals(stored, reread);
        assertEquals("renamed", reread.name());
        assertEquals(List.of("sha256", "brotli", "sha256"), reread.stages().stream().map(PipelineStage::algorithm).toList());
        assertEquals(Map.of("algorithm", "brotli", "compression_level", "11"), reread.stages().get(1).parameters());
        assertEquals(Map.of("max_workers", "8"), reread.configuration());
        assertEquals(Optional.empty(), pipelines.findByName("to-update"));
    }

    @Test
    void updateOfAMissingPipelineIsNotFound() {
        assertThrows(NotFoundException.class, () -> pipelines.update(pipeline("ghost")));
    }

    @Test
    void updateCannotTakeAnotherPipelinesName() {
        pipelines.save(pipeline("mine"));
        var other = pipeline("other");
        pipelines.save(other);
        assertThrows(DuplicateNameException.class, () -> pipelines.update(other.withName("mine")));
        assertEquals("other", pipelines.findById(other.id()).orElseThrow().name());
    }

    @Test
    void archiveAndRestoreCoverEveryRowOfTheAggregate() {
        var p = pipeline("arch");
        pipelines.save(p);
        assertTrue(pipelines.archive(p.id()));
        assertFalse(pipelines.archive(p.id()), "already archived");
        var archived = pipelines.findById(p.id()).orElseThrow();
        assertTrue(archived.archived());
        assertTrue(archived.stages().stream().allMatch(PipelineStage::archived));
        assertEquals(List.of(archived), pipelines.listArchived());
        assertEquals(0, pipelines.count());
        assertTrue(pipelines.unarchive(p.id()));
        assertFalse(pipelines.unarchive(p.id()), "already active");
        var restored = pipelines.findById(p.id()).orElseThrow();
        assertFalse(restored.archived());
        assertTrue(restored.stages().stream().noneMatch(PipelineStage::archived));
        assertEquals(p.configuration(), restored.configuration());
        assertEquals(List.of(), pipelines.listArchived());
    }

    @Test
    void deleteRemovesTheAggregateAndItsMetrics() {
        var p = pipeline("gone");
        pipelines.save(p);
        metrics.upsert(ProcessingMetrics.started(p.id(), T0, 100));
        assertTrue(pipelines.delete(p.id()));
        assertFalse(pipelines.exists(p.id()));
        assertEquals(Optional.empty(), metrics.find(p.id()));
        assertTrue(metrics.list().isEmpty());
        // the name is free again
        pipelines.save(pipeline("gone"));
    }

    @Test
    void listingsFollowTheDocumentedOrderAndVisibility() {
        var names = List.of("delta", "alpha", "charlie", "bravo");
        var saved = new ArrayList<Pipeline>();
        for (var name : names) {
            var p = pipeline(name);
            saved.add(p);
            pipelines.save(p);
        }
        pipelines.archive(saved.get(2).id()); // charlie
        assertEquals(List.of("alpha", "bravo", "delta"), pipelines.listActive().stream().map(Pipeline::name).toList());
        var byId = saved.stream().map(Pipeline::id).sorted().toList();
        assertEquals(byId, pipelines.listIncludingArchived().stream().map(Pipeline::id).toList());
        assertEquals(3, pipelines.count());
        assertTrue(pipelines.exists(saved.get(2).id()), "exists sees archived pipelines");
    }

    @Test
    void pagesCoverEveryActivePipelineOnceInIdOrder() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 23; i++) {
            var p = pipeline("p" + i);
            pipelines.save(p);
            ids.add(p.id());
        }
        pipelines.archive(ids.get(5));
        ids.remove(5);
        java.util.Collections.sort(ids);
        var seen = new ArrayList<String>();
        for (long offset = 0; ; offset += 5) {
            var page = pipelines.listPaginated(offset, 5);
            if (page.isEmpty()) {
                break;
            }
            assertTrue(page.size() <= 5);
            page.forEach(p -> seen.add(p.id()));
        }
        assertEquals(ids, seen);
        assertEquals(List.of(), pipelines.listPaginated(1_000_000, 10));
        // huge pages are just pages: no overflow, no error
        assertEquals(List.of(), pipelines.listPaginated(Long.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(ids, pipelines.listPaginated(0, Integer.MAX_VALUE).stream().map(Pipeline::id).toList());
        assertEquals(ids, pipelines.listAfter("", Integer.MAX_VALUE).stream().map(Pipeline::id).toList());
    }

    @Test
    void keysetPagesCoverEveryActivePipelineOnceEvenWhenRowsAreInsertedBeforeTheCursor() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 17; i++) {
            var p = pipeline("k" + i);
            pipelines.save(p);
            ids.add(p.id());
        }
        java.util.Collections.sort(ids);
        pipelines.archive(ids.get(3));
        var expected = new ArrayList<>(ids);
        expected.remove(3);
        var seen = new ArrayList<String>();
        String after = "";
        for (int page = 0; ; page++) {
            var rows = pipelines.listAfter(after, 4);
            if (rows.isEmpty()) {
                break;
            }
            assertTrue(rows.size() <= 4);
            rows.forEach(p -> seen.add(p.id()));
            after = rows.get(rows.size() - 1).id();
            // an id that sorts first: an offset page would now shift by one and repeat a row
            pipelines.save(new Pipeline("!" + page, "early" + page, false, T0, T0, List.of(), java.util.Map.of()));
        }
        assertEquals(expected, seen);
        assertEquals(List.of(), pipelines.listAfter(ids.get(ids.size() - 1), 10));
    }

    @Test
    void badPageArgumentsAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> pipelines.listAfter("", 0));
        assertThrows(InvalidArgumentException.class, () -> pipelines.listAfter(null, 10));
        assertThrows(InvalidArgumentException.class, () -> pipelines.listPaginated(-1, 10));
        assertThrows(InvalidArgumentException.class, () -> pipelines.listPaginated(0, 0));
    }

    @Test
    void nullArgumentsAreTypedErrors() {
        assertThrows(InvalidArgumentException.class, () -> pipelines.findById(null));
        assertThrows(InvalidArgumentException.class, () -> pipelines.findByName(null));
        assertThrows(InvalidArgumentException.class, () -> pipelines.save(null));
        assertThrows(InvalidArgumentException.class, () -> pipelines.saveAll(null));
        assertThrows(InvalidArgumentException.class, () -> metrics.upsert(null));
        assertThrows(InvalidArgumentException.class, () -> pipelines.listByConfig("k", null));
    }

    @Test
    void findByConfigMatchesKeyAndValueOfActivePipelines() {
        var a = pipeline("a");
        var b = pipeline("b").withConfiguration(Map.of("max_workers", "8"));
        var c = pipeline("c");
        pipelines.saveAll(List.of(c, a, b));
        assertEquals(List.of("a", "c"), pipelines.listByConfig("max_workers", "4").stream().map(Pipeline::name).toList());
        pipelines.archive(c.id());
        assertEquals(List.of("a"), pipelines.listByConfig("max_workers", "4").stream().map(Pipeline::name).toList());
        assertEquals(List.of(), pipelines.listByConfig("max_workers", "5"));
    }

    @Test
    void namesWithQuotesUnicodeAndSqlMetacharactersRoundTrip() {
        for (var name : List.of("it's \"quoted\"", "Ωmega-παράδειγμα-日本", "x'; DROP TABLE pipelines; --", "<script>")) {
            var p = pipeline(name);
            pipelines.save(p);
            assertEquals(p, pipelines.findByName(name).orElseThrow());
        }
        assertEquals(4, pipelines.count());
    }

    @Test
    void metricsUpsertReplacesTheLatestRun() {
        var p = pipeline("m");
        pipelines.save(p);
        var start = Instant.parse("2025-10-09T05:07:40.893316984Z");
        var running = new ProcessingMetrics(p.id(), 395_325_658L, 5_351_876_980L, 2551, 5103, start, null, 230_899L,
                1712115.07195787, 1.16299222774225, 0, 0, 5_351_876_980L, 4_601_816_635L, "bbd6", null);
        metrics.upsert(running);
        assertEquals(Optional.of(running), metrics.find(p.id()));
        assertEquals(0.0738, running.progress().orElseThrow(), 0.0001);
        var done = new ProcessingMetrics(p.id(), 5_351_876_980L, 5_351_876_980L, 5103, 5103, start,
                start.plusSeconds(300), 300_000L, 17_839_589.9, 1.2, 0, 1, 5_351_876_980L, 4_601_816_635L, "bbd6", "ff00");
        metrics.upsert(done);
        assertEquals(List.of(done), metrics.list());
        assertEquals(java.time.Duration.ofMinutes(5), done.duration().orElseThrow());
        assertTrue(metrics.delete(p.id()));
        assertFalse(metrics.delete(p.id()));
    }

    @Test
    void metricsNeedAnExistingPipeline() {
        var e = assertThrows(NotFoundException.class,
                () -> metrics.upsert(ProcessingMetrics.started("01K73NTFKXP8H012G5MV268WAS", T0, 1)));
        assertTrue(e.getMessage().contains("01K73NTFKXP8H012G5MV268WAS"), e.getMessage());
    }

    @Test
    void aThousandPipelinesSavedInOneBatchAllReadBack() {
        var batch = new ArrayList<Pipeline>();
        for (int i = 0; i < 1000; i++) {
            batch.add(pipeline(String.format("bulk-%04d", i)));
        }
        pipelines.saveAll(batch);
        assertEquals(1000, pipelines.count());
        var all = pipelines.listActive();
        assertEquals(batch, all);
    }
}
