package dev.pipescope.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.Pipescope;
import dev.pipescope.cli.Main;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.ops.Backups;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM backing up and restoring one database in a loop is killed with SIGKILL at random points:
 * while copying, hashing, inside the restore's exclusive lock. After each kill, the next command on the
 * database ({@code pipescope info}) removes every temporary file the child left, puts the journal mode
 * back, and the database is intact with its content.
 */
class RestoreKillTest {
    static final int KILLS = 24;
    static final long TIME_BUDGET_MS = 120_000;
    static final int PIPELINES = 300;
    private static final Pattern BACKUP_FILE = Pattern.compile("kill-\\d{8}T\\d{9}Z(-\\d+)?\\.(db|json)");

    @TempDir
    Path dir;

    @Test
    void killedBackupsAndRestoresLeaveNothingBehindTheNextCommand() throws Exception {
        var file = dir.resolve("kill.db");
        try (var db = Pipescope.open(file)) {
            var batch = new ArrayList<Pipeline>();
            for (int i = 0; i < PIPELINES; i++) {
                batch.add(Pipeline.builder("p" + i).config("padding", "x".repeat(200)).build());
            }
            db.pipelines().saveAll(batch);
        }
        var random = new Random(20261129);
        long started = System.currentTimeMillis();
        int kills = 0;
        int inLockWindow = 0;
        int leftoversRemoved = 0;
        var phases = List.of("backup", "checksum", "restore");
        for (int round = 0; round < KILLS && System.currentTimeMillis() - started < TIME_BUDGET_MS; round++) {
            boolean lockWindow = round % 3 == 0;
            var killAt = lockWindow ? "restore" : phases.get(random.nextInt(phases.size()));
            var child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    RestoreKillChild.class.getName(), file.toString(), lockWindow ? "linger" : "run")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int skip = random.nextInt(3); // how many rounds the child completes first
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("phase " + killAt) && skip-- <= 0) {
                    break;
                }
            }
            if (!lockWindow) {
                Thread.sleep(random.nextInt(20));
            }
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
            kills++;
            inLockWindow += lockWindow ? 1 : 0;

            var err = new ByteArrayOutputStream();
            int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), "info", file.toString());
            var said = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, "info after kill " + kills + ": " + said);
            leftoversRemoved += (int) said.lines().filter(l -> l.contains("removed ") || l.contains("put ")).count();
            assertNoLeftovers(file, "after kill " + kills + " (" + killAt + "); info said: " + said);
            assertEquals("wal", single(file, "PRAGMA journal_mode"), "journal mode after kill " + kills + ": " + said);
            assertEquals("ok", single(file, "PRAGMA integrity_check"));
            assertEquals(String.valueOf(PIPELINES), single(file, "SELECT count(*) FROM pipelines"));
        }
        assertTrue(kills >= 10, "too few kills within the time budget: " + kills);
        assertTrue(inLockWindow >= 3, "too few kills inside the restore's lock window: " + inLockWindow);
        ReliabilityReport.record("restore-kills", """
                A child JVM backing up and restoring one database in a loop is killed with SIGKILL while copying,
                hashing, or inside the restore's exclusive lock (after a WAL file was switched to a rollback
                journal). After each kill the next command (`pipescope info`) removes what the child left and
                puts the journal mode back; no temporary file remains, the file passes `integrity_check` and
                holds its content.""", Map.of(
                "kills survived", kills,
                "kills inside the restore's lock window", inLockWindow,
                "leftovers removed or journal modes put back by the next command", leftoversRemoved,
                "leftovers remaining after the next command", 0));
    }

    private void assertNoLeftovers(Path file, String when) throws Exception {
        var allowed = Set.of("kill.db", "kill.db-wal", "kill.db-shm", ".kill.db.pipescope-lock", "backups");
        try (var files = Files.list(dir)) {
            for (var f : files.toList()) {
                assertTrue(allowed.contains(f.getFileName().toString()), "leftover " + f + " " + when);
            }
        }
        var backupsDir = dir.resolve("backups");
        if (Files.isDirectory(backupsDir)) {
            try (var files = Files.list(backupsDir)) {
                for (var f : files.toList()) {
                    assertTrue(BACKUP_FILE.matcher(f.getFileName().toString()).matches(), "leftover " + f + " " + when);
                }
            }
        }
        assertEquals(List.of(), Backups.forFile(file).unexplained(), when);
        for (var backup : Backups.forFile(file).list()) {
            assertTrue(backup.metadata().isPresent(), "backup without metadata " + backup.file() + " " + when);
        }
    }

    private static String single(Path file, String sql) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
