package dev.pipescope.source.etl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.ConnectionSettings;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.ServerTarget;
import dev.pipescope.domain.EtlExecution;
import dev.pipescope.domain.EtlExecutionQuery;
import dev.pipescope.domain.EtlJob;
import dev.pipescope.domain.Layout;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.notebook.NotebookSession;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.SecretTableException;
import dev.pipescope.testing.Fixtures;
import dev.pipescope.testing.PostgresState;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etl-core's tables as SQLAlchemy makes them on PostgreSQL (fixtures/etl_postgres.sql: the rows etl-core's own command
 * line wrote into the real SQLite fixture) read through a read-only open: the same records and unified runs as that
 * SQLite file gives, in the same zone for its naive times.
 */
class EtlPostgresTest {
    /** The zone etl-core's naive times are read in, for both databases. */
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    @TempDir
    static Path dir;
    private static ServerTarget target;
    private static Map<String, String> before;
    private static PipescopeDatabase server;
    private static PipescopeDatabase file;

    @BeforeAll
    static void openBoth() {
        target = Fixtures.postgresFromScript("fixtures/etl_postgres.sql", "etl");
        before = PostgresState.of(target);
        server = Pipescope.open(target, ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(ZONE));
        file = Pipescope.open(Fixtures.copy("real/etl_core.db", dir),
                ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(ZONE));
    }

    @AfterAll
    static void nothingWasWritten() {
        server.close();
        file.close();
        assertEquals(before, PostgresState.of(target));
    }

    @Test
    void itsTablesAreRecognisedAsEtl() {
        assertEquals(Set.of(Layout.ETL), server.layouts());
    }

    @Test
    void jobsComponentsLinksAndSchedulesAreTheSqliteFilesRecords() {
        var jobs = server.etl().jobs();
        assertEquals(4, jobs.size());
        assertEquals(List.of("always_failing_stub", "flaky_source_retry", "inventory_bulk_import", "orders_csv_to_csv"),
                jobs.stream().map(EtlJob::name).toList());
        assertEquals(file.etl().jobs(), jobs);
        var bulk = jobs.stream().filter(j -> j.name().equals("inventory_bulk_import")).findFirst().orElseThrow();
        assertEquals("BULK", bulk.strategyType(), "PostgreSQL's enum label, as SQLite's text");
        assertEquals(2, bulk.numOfRetries());
        for (var job : jobs) {
            assertEquals(file.etl().job(job.id()), server.etl().job(job.id()));
            assertEquals(file.etl().components(job.id()), server.etl().components(job.id()), job.name());
            assertEquals(file.etl().links(job.id()), server.etl().links(job.id()), job.name());
        }
        assertEquals(6, jobs.stream().mapToInt(j -> server.etl().components(j.id()).size()).sum());
        assertEquals(2, jobs.stream().mapToInt(j -> server.etl().links(j.id()).size()).sum());
        assertEquals(1, server.etl().schedules().size());
        assertEquals(file.etl().schedules(), server.etl().schedules());
        assertTrue(server.etl().schedules().get(0).paused());
    }

    @Test
    void executionsAndTheirAttemptsAreTheSqliteFilesRecords() {
        for (var sort : EtlExecutionQuery.Sort.values()) {
            var query = EtlExecutionQuery.all().sort(sort);
            assertEquals(file.etl().listExecutions(query), server.etl().listExecutions(query), sort.name());
        }
        var all = server.etl().listExecutions(EtlExecutionQuery.all());
        assertEquals(7, all.size());
        assertEquals(10, all.stream().mapToInt(e -> e.attempts().size()).sum());
        var failed = EtlExecutionQuery.all().status("FAILED");
        assertEquals(2, server.etl().listExecutions(failed).size());
        assertEquals(file.etl().listExecutions(failed), server.etl().listExecutions(failed));
        var prod = EtlExecutionQuery.all().environment("PROD").limit(2);
        assertEquals(file.etl().listExecutions(prod), server.etl().listExecutions(prod));
        // the naive times are Berlin's: 09:54:16.120099 there is 08:54:16.120099Z
        var missingFile = all.stream().filter(e -> e.error() != null && e.error().contains("inventory.csv"))
                .findFirst().orElseThrow();
        assertEquals(LocalDateTime.of(2026, 11, 29, 9, 54, 16, 120_099_000).atZone(ZONE).toInstant(),
                missingFile.startedAt());
        var window = EtlExecutionQuery.all().between(missingFile.startedAt(), missingFile.startedAt().plusSeconds(1));
        assertEquals(List.of(missingFile.id()), server.etl().listExecutions(window).stream().map(EtlExecution::id).toList());
        assertEquals(file.etl().execution(missingFile.id()), server.etl().execution(missingFile.id()));
        var byJob = EtlExecutionQuery.all().job(missingFile.jobId());
        assertEquals(file.etl().listExecutions(byJob), server.etl().listExecutions(byJob));
    }

    @Test
    void executionsAreTheSameUnifiedRuns() {
        var filter = RunFilter.capped().source(RunSource.ETL);
        var runs = server.runs().unified(filter);
        assertEquals(7, runs.size());
        assertEquals(file.runs().unified(filter), runs);
        assertEquals(2, runs.stream().filter(r -> r.status() == RunStatus.FAILED).count());
        var first = runs.get(runs.size() - 1).start();
        var window = filter.between(first, first.plusSeconds(7));
        assertEquals(file.runs().unified(window), server.runs().unified(window));
        assertFalse(server.runs().unified(window).isEmpty());
    }

    /** The notebook over it: tables render, credentials are never shown, nothing is written. */
    @Test
    void theNotebookReadsItAndNeverShowsCredentials() {
        try (var session = new NotebookSession()) {
            session.use(Pipescope.open(target, ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(ZONE)));
            assertEquals(7, session.executions().rowCount());
            assertEquals(4, session.etlJobs().rowCount());
            assertEquals(7, session.allRuns().rowCount());
            for (var statement : List.of("SELECT * FROM credentialstable", "SELECT host FROM credentialstable c "
                    + "JOIN contextcredentialsmaptable m ON m.credentials_id = c.id")) {
                var e = assertThrows(SecretTableException.class, () -> session.sql(statement), statement);
                assertFalse(e.getMessage().contains("warehouse.internal"), e.getMessage());
            }
            assertThrows(ReadOnlyViolationException.class, () -> session.sql("UPDATE executiontable SET status = 'SUCCESS'"));
            assertThrows(ReadOnlyViolationException.class, () -> session.sql("DROP TABLE jobtable"));
            assertEquals(7L, session.sql("SELECT count(*) AS n FROM executiontable").longColumn("n").get(0));
        }
        assertEquals(before, PostgresState.of(target));
    }

    /** Read-write, it is still another tool's database: the open adds nothing. */
    @Test
    void aReadWriteOpenMigratesAndAddsNothing() {
        try (var writable = Pipescope.open(target, ConnectionSettings.readWrite().withNaiveTimeZone(ZONE))) {
            assertEquals(Set.of(Layout.ETL), writable.layouts());
            assertEquals(7, writable.etl().listExecutions(EtlExecutionQuery.all()).size());
        }
        assertEquals(before, PostgresState.of(target));
    }
}
