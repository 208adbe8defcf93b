package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.DagCache;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.StageType;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.DatabaseBusyException;
import dev.pipescope.error.DuplicateNameException;
import dev.pipescope.error.InvalidPipelineException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.error.ReadOnlyViolationException;
import dev.pipescope.error.StorageException;
import dev.pipescope.error.UnknownSchemaException;
import dev.pipescope.source.dagger.Blobs;
import dev.pipescope.ConnectionSettings;
import dev.pipescope.testing.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input in one table: each case makes its input in a fresh directory, runs one
 * operation, and expects a typed error whose message names what was concerned, with the database
 * file byte for byte unchanged (SHA-256 before and after).
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    /** Stands for the case's database path in the expected message parts. */
    private static final String FILE = "{file}";
    private static final String QUOTES = "O'Brien \"quoted\"";
    private static final String INJECTION = "x'); DROP TABLE pipelines; --";
    private static final String UNICODE = "Zürich ✓ 日本 \uD83D\uDE80";
    private static final String NUL = "nul\u0000inside";
    private final AtomicInteger tried = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    @TempDir
    Path root;

    /** Makes the case's input inside {@code dir} and returns the database path the operation uses. */
    @FunctionalInterface
    interface Input {
        Path make(Path dir) throws Exception;
    }

    /** What is tried on the input; expected to throw. */
    @FunctionalInterface
    interface Operation {
        void run(Path file) throws Exception;

        /** A step of an operation. */
        @FunctionalInterface
        interface Attempt {
            void run() throws Exception;
        }
    }

    /**
     * One bad-input case.
     *
     * @param messageParts text the message must contain; {@value #FILE} stands for the database path
     */
    record Case(String name, Input input, Operation operation, Class<? extends PipescopeException> expected,
                List<String> messageParts) {}

    static List<Case> cases() {
        return List.of(
                new Case("not a SQLite file", dir -> write(dir, "text.db", "this is not a database\n".getBytes(StandardCharsets.UTF_8)),
                        Pipescope::open, NotASqliteFileException.class, List.of(FILE, "this is not a da")),
                new Case("empty file, read-only", dir -> write(dir, "empty.db", new byte[0]),
                        Pipescope::openReadOnly, NotASqliteFileException.class, List.of(FILE, "empty")),
                new Case("truncated database", BadInputTest::truncated,
                        Pipescope::open, NotASqliteFileException.class, List.of(FILE, "truncated")),
                new Case("corrupted page", BadInputTest::corruptedPage,
                        file -> withReadOnly(file, db -> db.pipelines().listIncludingArchived()), NotASqliteFileException.class,
                        List.of(FILE, "malformed")),
                new Case("file locked exclusively by another process", BadInputTest::populated,
                        file -> whileLockedByAnotherProcess(file, () -> {
                            try (var db = Pipescope.open(file, ConnectionSettings.readWrite().withBusyTimeoutMs(200))) {
                                db.pipelines().save(Pipeline.builder("blocked").build());
                            }
                        }), DatabaseBusyException.class, List.of(FILE, "locked", "save")),
                new Case("new file in a read-only directory", BadInputTest::inReadOnlyDirectory,
                        file -> withoutRootPowers("read-write", file), StorageException.class, List.of(FILE)),
                new Case("file without read permission", BadInputTest::withoutPermissions,
                        file -> withoutRootPowers("read-only", file), StorageException.class, List.of(FILE)),
                new Case("read-only file opened for writing, then written", BadInputTest::readOnlyFile,
                        file -> withoutRootPowers("write", file), ReadOnlyViolationException.class, List.of(FILE, "read-only")),
                new Case("database from a newer schema", BadInputTest::newerSchema,
                        Pipescope::open, UnknownSchemaException.class, List.of(FILE, "version 999")),
                new Case("unknown layout", BadInputTest::unknownLayout,
                        Pipescope::openReadOnly, UnknownSchemaException.class, List.of(FILE, "customers", "orders")),
                new Case("corrupted zstd in a snapshot", dir -> dagger(dir, "UPDATE snapshots SET snapshot_data = X'28B52FFD0000DEADBEEF'"),
                        file -> withReadOnly(file, db -> db.dags().loadLatestSnapshot("nightly")), CorruptDataException.class,
                        List.of(FILE, "snapshots", "nightly", "zstd")),
                new Case("corrupted zstd in an execution tree", dir -> dagger(dir, "UPDATE execution_trees SET tree_data = X'0102030405'"),
                        file -> withReadOnly(file, db -> db.dags().loadExecutionTree("nightly")), CorruptDataException.class,
                        List.of(FILE, "execution_trees", "nightly", "zstd")),
                new Case("invalid JSON in an artifact", dir -> dagger(dir, "UPDATE artifacts SET value = '{not json'"),
                        file -> withReadOnly(file, db -> db.dags().getJson("nightly", "fetch", "rows")), CorruptDataException.class,
                        List.of(FILE, "artifacts", "nightly", "fetch", "rows", "JSON")),
                new Case("invalid JSON inside valid zstd", dir -> dagger(dir, "UPDATE snapshots SET snapshot_data = :blob",
                                Blobs.compress("{\"fetch\": [1, 2".getBytes(StandardCharsets.UTF_8))),
                        file -> withReadOnly(file, db -> db.dags().loadLatestSnapshot("nightly")), CorruptDataException.class,
                        List.of(FILE, "snapshots", "nightly", "JSON")),
                new Case("100 MB blob of an unterminated JSON object", dir -> dagger(dir, "UPDATE snapshots SET snapshot_data = :blob",
                                hundredMegabyteUnterminatedObject()),
                        file -> withReadOnly(file, db -> db.dags().loadLatestSnapshot("nightly")), CorruptDataException.class,
                        List.of(FILE, "snapshots", "nightly", "truncated JSON")),
                new Case("unknown pipeline id with quotes", BadInputTest::populated,
                        file -> withWritable(file, db -> db.runs().start(QUOTES)), NotFoundException.class, List.of(QUOTES)),
                new Case("unknown pipeline id with SQL metacharacters", BadInputTest::populated,
                        file -> withWritable(file, db -> db.runs().start(INJECTION)), NotFoundException.class, List.of(INJECTION)),
                new Case("update of an unknown unicode id", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().update(Pipeline.builder("any").id(UNICODE).build())),
                        NotFoundException.class, List.of(UNICODE, FILE)),
                new Case("unknown run id with NUL", BadInputTest::populated,
                        file -> withWritable(file, db -> db.runs().retry(NUL)), NotFoundException.class, List.of(NUL)),
                new Case("taken name with NUL", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().save(Pipeline.builder(NUL).build())),
                        DuplicateNameException.class, List.of(NUL)),
                new Case("taken name with SQL metacharacters", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().save(Pipeline.builder(INJECTION).build())),
                        DuplicateNameException.class, List.of(INJECTION)),
                new Case("taken name with quotes", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().save(Pipeline.builder(QUOTES).build())),
                        DuplicateNameException.class, List.of(QUOTES)),
                new Case("stage name with an unpaired surrogate", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().save(Pipeline.builder("fine")
                                .stage(PipelineStage.builder("half \uD83D", StageType.COMPRESSION, "zstd")).build())),
                        InvalidPipelineException.class, List.of("fine", "stage")),
                new Case("negative offset", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().listPaginated(-1, 10)),
                        InvalidArgumentException.class, List.of("offset", "-1")),
                new Case("zero limit", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().listPaginated(0, 0)),
                        InvalidArgumentException.class, List.of("limit", "0")),
                new Case("zero limit of a keyset page", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().listAfter("", 0)),
                        InvalidArgumentException.class, List.of("limit", "0")),
                new Case("null key of a keyset page", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().listAfter(null, 10)),
                        InvalidArgumentException.class, List.of("afterId", "null")),
                new Case("negative limit", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().listPaginated(0, Integer.MIN_VALUE)),
                        InvalidArgumentException.class, List.of("limit", Integer.toString(Integer.MIN_VALUE))),
                new Case("null pipeline", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().save(null)),
                        InvalidArgumentException.class, List.of("pipeline", "null")),
                new Case("null id", BadInputTest::populated,
                        file -> withWritable(file, db -> db.pipelines().findById(null)),
                        InvalidArgumentException.class, List.of("id", "null")),
                new Case("null run id", BadInputTest::populated,
                        file -> withWritable(file, db -> db.runs().find(null)),
                        InvalidArgumentException.class, List.of("run", "null")),
                new Case("null DAG id", BadInputTest::dagger,
                        file -> withWritable(file, db -> db.dags().loadCache(null)),
                        InvalidArgumentException.class, List.of("DAG id", "null")),
                new Case("write to a database opened read-only", BadInputTest::populated,
                        file -> withReadOnly(file, db -> db.pipelines().save(Pipeline.builder(INJECTION).build())), ReadOnlyViolationException.class, List.of(FILE, "read-only")),
                new Case("null path", dir -> dir.resolve("untouched.db"),
                        file -> Pipescope.open((java.nio.file.Path) null), InvalidArgumentException.class, List.of("path", "null")));
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputFailsWithATypedErrorNamingItAndChangesNothing() {
        var names = cases().stream().map(Case::name).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "case names must be unique");
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) throws Exception {
        var dir = Files.createDirectories(root.resolve("case-" + tried.incrementAndGet()));
        var file = c.input().make(dir);
        try {
            var before = hashes(file);
            var e = assertThrows(c.expected(), () -> c.operation().run(file), c.name());
            assertNotNull(e.getMessage(), c.name());
            for (var part : c.messageParts()) {
                var expected = part.replace(FILE, file.toString());
                assertTrue(e.getMessage().contains(expected),
                        () -> c.name() + ": message lacks '" + expected + "': " + e.getMessage());
            }
            assertEquals(before, hashes(file), c.name() + ": the file changed");
            passed.incrementAndGet();
        } finally {
            allowCleanup(dir);
        }
    }

    @AfterAll
    void report() {
        ReliabilityReport.record("bad-input", """
                One table (`BadInputTest.cases()`): each case makes a bad input, runs one operation, and expects a
                typed error whose message names the file, table or key concerned, with the database file's SHA-256
                (and its write-ahead log's) unchanged. Permission cases run in a child process without root's
                permission-bypassing capabilities.""", Map.of(
                "bad-input cases in the table", cases().size(),
                "cases tried", tried.get(),
                "cases that failed as expected with the file unchanged", passed.get()));
    }

    /**
     * The file's hash and its write-ahead log's. An empty log counts as none: SQLite creates one when
     * it merely reads a WAL-mode file.
     */
    private static List<String> hashes(Path file) throws IOException {
        var hashes = new java.util.ArrayList<String>();
        for (var f : List.of(file, Path.of(file + "-wal"))) {
            hashes.add(Files.isRegularFile(f) && Files.size(f) > 0 ? Fixtures.sha256(f) : "absent or empty");
        }
        return hashes;
    }

    // ---- operations

    interface DbWork {
        void apply(PipescopeDatabase db);
    }

    private static void withReadOnly(Path file, DbWork work) {
        try (var db = Pipescope.openReadOnly(file)) {
            work.apply(db);
        }
    }

    private static void withWritable(Path file, DbWork work) {
        try (var db = Pipescope.open(file)) {
            work.apply(db);
        }
    }

    /**
     * Opens the file in a child JVM without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH, so permissions
     * apply even to root, and rethrows the typed error it reports.
     */
    private static void withoutRootPowers(String mode, Path file) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<String>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        }
        command.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), BadInputChild.class.getName(), mode, file.toString()));
        var child = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        var last = output.lines().reduce((a, b) -> b).orElse("");
        if (!last.startsWith("threw ")) {
            throw new AssertionError("child did not fail with a typed error: " + output);
        }
        var parts = last.split(" ", 3);
        throw (PipescopeException) Class.forName(parts[1]).getConstructor(String.class)
                .newInstance(parts[2].replace("\\n", "\n"));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    // ---- inputs

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A database whose pipelines have hostile names, so lookups of similar text must not match by accident. */
    private static Path populated(Path dir) {
        var file = dir.resolve("pipelines.db");
        try (var db = Pipescope.open(file)) {
            for (var name : List.of("existing", QUOTES, INJECTION, UNICODE, NUL)) {
                db.pipelines().save(Pipeline.builder(name)
                        .stage(PipelineStage.builder("c", StageType.COMPRESSION, "zstd").parameter("compression_level", "3"))
                        .config(name, name)
                        .build());
            }
        }
        return file;
    }

    private static Path truncated(Path dir) throws IOException {
        var file = populated(dir);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2 + 100);
        }
        return file;
    }

    /** Overwrites the middle of the last page (table data) with garbage; the header stays valid. */
    private static Path corruptedPage(Path dir) throws Exception {
        var file = populated(dir);
        int pageSize;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery("PRAGMA page_size")) {
            rs.next();
            pageSize = rs.getInt(1);
        }
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            long pages = raf.length() / pageSize;
            for (long page = 2; page <= pages; page++) {
                byte[] garbage = new byte[64];
                Arrays.fill(garbage, (byte) 0xA5);
                // the b-tree page header: an invalid page type makes every page of the file unreadable
                raf.seek((page - 1) * pageSize);
                raf.write(garbage);
            }
        }
        return file;
    }

    /** Runs {@code attempt} while another process (Python's sqlite3) holds an exclusive transaction on the file. */
    private static void whileLockedByAnotherProcess(Path file, Operation.Attempt attempt) throws Exception {
        var holder = new ProcessBuilder("/usr/bin/python3", "-c", """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute('BEGIN EXCLUSIVE')
                print('locked', flush=True)
                sys.stdin.read()
                c.execute('ROLLBACK')
                """, file.toString()).redirectErrorStream(true).start();
        try {
            var line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("locked", line, "the lock holder did not start");
            attempt.run();
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "lock holder did not end");
        }
    }

    /** Gives write and read permission back, so @TempDir can delete what the permission cases locked. */
    private static void allowCleanup(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.forEach(f -> {
                f.toFile().setWritable(true);
                f.toFile().setReadable(true);
            });
        }
    }

    private static Path inReadOnlyDirectory(Path dir) throws IOException {
        var locked = Files.createDirectories(dir.resolve("read-only"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        return locked.resolve("new.db");
    }

    private static Path withoutPermissions(Path dir) throws IOException {
        var file = populated(dir);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        return file;
    }

    private static Path readOnlyFile(Path dir) throws IOException {
        var file = populated(dir);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        return file;
    }

    private static Path newerSchema(Path dir) throws Exception {
        var file = populated(dir);
        sql(file, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                + "installed_by, installed_on, execution_time, success) VALUES (999, '999', 'future', 'SQL', "
                + "'V999__future.sql', 0, 'someone', CURRENT_TIMESTAMP, 1, 1)");
        return file;
    }

    private static Path unknownLayout(Path dir) throws Exception {
        var file = dir.resolve("shop.db");
        sql(file, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER)");
        return file;
    }

    private static Path dagger(Path dir) {
        var file = dir.resolve("dagger.db");
        try (var db = Pipescope.open(file)) {
            var cache = DagCache.builder().put("fetch", "rows", IntNode.valueOf(42)).build();
            db.dags().saveCache("nightly", cache);
            db.dags().saveSnapshot("nightly", cache);
            db.dags().saveExecutionTree("nightly", new dev.pipescope.domain.ExecutionTree(List.of(), List.of()));
        }
        return file;
    }

    private static Path dagger(Path dir, String corruption) throws Exception {
        var file = dagger(dir);
        sql(file, corruption);
        return file;
    }

    private static Path dagger(Path dir, String corruption, byte[] blob) throws Exception {
        var file = dagger(dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var st = c.prepareStatement(corruption.replace(":blob", "?"))) {
            st.setBytes(1, blob);
            assertEquals(1, st.executeUpdate());
        }
        return file;
    }

    /** An object that never closes: 100 MB must be streamed through before the error is known. */
    private static byte[] hundredMegabyteUnterminatedObject() {
        byte[] raw = new byte[100 << 20];
        Arrays.fill(raw, (byte) ' ');
        raw[0] = '{';
        return Blobs.compress(raw);
    }

    private static void sql(Path file, String... statements) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            for (var s : statements) {
                st.execute(s);
            }
        }
    }
}
