package dev.pipescope.source.dagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.ArtifactForm;
import dev.pipescope.domain.DagArtifact;
import dev.pipescope.domain.DagSummary;
import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dagger's own file (real/dagger_cache.db, written by dagger's SqliteCache code): rows of both
 * artifact writers, and a DAG named {@code DeepResearch} whose tree dagger stored as {@code deepresearch}.
 */
class DaggerRealFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private Path copy() throws Exception {
        return java.nio.file.Files.copy(Fixtures.file("real/dagger_cache.db"), dir.resolve("dagger_cache.db"));
    }

    @Test
    void setJsonRowsReadAsTheJsonGivenBesideCacheRows() throws Exception {
        try (var db = Pipescope.openReadOnly(copy())) {
            var dags = db.dags();
            assertEquals(JSON.readTree("[\"bug\",\"ui\"]"),
                    dags.getJson("triage_agent", "supervisor_start", "labels").orElseThrow());
            var cache = dags.loadCache("triage_agent");
            assertEquals(JSON.readTree("{\"confidence\":0.87,\"next\":\"classify\"}"),
                    cache.get("supervisor_start", "decision").orElseThrow());
            assertEquals(List.of(
                    new DagArtifact("triage_agent", "supervisor_start", "decision", ArtifactForm.JSON,
                            JSON.readTree("{\"confidence\":0.87,\"next\":\"classify\"}")),
                    new DagArtifact("triage_agent", "supervisor_start", "labels", ArtifactForm.JSON,
                            JSON.readTree("[\"bug\",\"ui\"]"))), dags.artifacts("triage_agent"));
        }
    }

    @Test
    void cacheRowsKeepTheirFormAndInnerValue() throws Exception {
        try (var db = Pipescope.openReadOnly(copy())) {
            var artifacts = db.dags().artifacts("infolder");
            assertEquals(14, artifacts.size());
            assertEquals(Set.of(ArtifactForm.CACHE), artifacts.stream().map(DagArtifact::form).collect(Collectors.toSet()));
            var annotation = artifacts.stream().filter(a -> a.key().equals("annotation")).findFirst().orElseThrow();
            assertEquals(NullNode.getInstance(), annotation.value());
            assertEquals(JSON.readTree("30.0"), db.dags().getJson("infolder", "node1", "sum").orElseThrow());
        }
    }

    @Test
    void aMixedCaseDagIsOneDagWithItsLowerCasedTree() throws Exception {
        try (var db = Pipescope.openReadOnly(copy())) {
            var dags = db.dags();
            assertEquals(List.of("DeepResearch", "infolder", "read", "triage_agent"), dags.dagIds());
            var deep = dags.summary().stream().filter(s -> s.dagId().equals("DeepResearch")).findFirst().orElseThrow();
            assertEquals(6, deep.artifactCount());
            assertEquals(3, deep.snapshotCount());
            assertEquals(344, deep.treeBytes().orElseThrow());
            assertEquals(List.of("DeepResearch", "infolder", "read", "triage_agent"),
                    dags.summary().stream().map(DagSummary::dagId).toList());
            assertTrue(dags.loadExecutionTree("DeepResearch").isPresent());
            assertEquals(dags.loadExecutionTree("deepresearch"), dags.loadExecutionTree("DeepResearch"));

            var runs = db.runs().unified(RunFilter.capped().source(RunSource.DAGGER));
            assertEquals(Set.of("DeepResearch", "infolder"),
                    runs.stream().map(Run::ownerId).collect(Collectors.toCollection(TreeSet::new)));
            assertTrue(runs.stream().filter(r -> r.ownerId().equals("DeepResearch"))
                    .allMatch(r -> r.id().startsWith("DeepResearch/") && r.name().startsWith("DeepResearch/")));
        }
    }
}
