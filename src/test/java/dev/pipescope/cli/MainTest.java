package dev.pipescope.cli;

import dev.pipescope.sqlite.Migrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Pipescope;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code pipescope} in-process on real files and checks exit codes, stdout and stderr. */
class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out, e);
            }
        }
    }

    static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path database(int pipelines) {
        var file = dir.resolve("cli.db");
        try (var db = Pipescope.open(file)) {
            for (int i = 0; i < pipelines; i++) {
                db.pipelines().save(Pipeline.builder("p" + i).build());
            }
        }
        return file;
    }

    @Test
    void infoPrintsFactsAsTableAndJson() {
        var file = database(3);
        var text = run("info", file.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("rows in pipelines"), text.out());
        assertTrue(text.out().contains(file.toString()));
        var json = run("info", "--json", file.toString()).json();
        assertEquals(3, json.get("rowCounts").get("pipelines").asInt());
        assertEquals(6, json.get("rowCounts").get("pipeline_stages").asInt());
        assertEquals(Migrations.latestVersion(), json.get("schemaVersion").asInt());
        java.util.List<String> expected;
        try (var db = dev.pipescope.Pipescope.openReadOnly(file)) {
            expected = db.layouts().stream().sorted().map(Enum::name).toList();
        }
        assertTrue(expected.containsAll(java.util.List.of("PIPESCOPE", "ADAPTIVE_PIPELINE")));
        var listed = new java.util.ArrayList<String>();
        json.get("layouts").forEach(n -> listed.add(n.asText()));
        assertEquals(expected, listed, "in Layout order");
        assertEquals(Files.exists(file) ? file.toFile().length() : -1, json.get("sizeBytes").asLong());
    }

    @Test
    void missingOrForeignFilesExitWithThree() throws IOException {
        var missing = run("info", dir.resolve("nope.db").toString());
        assertEquals(3, missing.code());
        assertTrue(missing.err().contains("nope.db"), missing.err());
        assertEquals("", missing.out());
        var text = Files.writeString(dir.resolve("notes.txt"), "hello, not a database".repeat(10));
        var notDb = run("health", "--json", text.toString());
        assertEquals(3, notDb.code());
        assertEquals("NotASqliteFileException", notDb.json().get("type").asText());
        assertEquals(3, notDb.json().get("exitCode").asInt());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run().code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("backup").code(), "missing DATABASE");
        var prune = run("prune", database(1).toString());
        assertEquals(2, prune.code());
        assertTrue(prune.err().contains("keepLast"), prune.err());
    }

    @Test
    void helpListsExitCodesForEveryCommand() {
        for (var command : new String[] {"info", "health", "migrate", "backup", "backups", "verify", "restore", "prune"}) {
            var help = run(command, "--help");
            assertEquals(0, help.code(), command);
            assertTrue(help.out().contains("Exit codes:"), command + ": " + help.out());
            assertTrue(help.out().contains("--json"), command);
        }
        var top = run("--help");
        assertTrue(top.out().contains("restore") && top.out().contains("prune"), top.out());
        assertTrue(run("--version").out().startsWith("pipescope "));
    }

    @Test
    void aCommandLineBuildsOnlyTheCommandItNamesAndEveryOtherLineBuildsThemAll() {
        var all = java.util.List.of("info", "databases", "demo", "kernel", "install", "completion", "health", "migrate", "backup",
                "backups", "verify", "restore", "prune");
        assertEquals(all, java.util.List.copyOf(Main.COMMANDS.keySet()));
        for (var name : all) {
            assertEquals(name, new picocli.CommandLine(Main.COMMANDS.get(name)).getCommandName(), "@Command name");
            assertEquals(java.util.Set.of(name), Main.commandLine(java.util.Map.of(), name).getSubcommands().keySet(), name);
        }
        assertEquals(all, java.util.List.copyOf(Main.commandLine(java.util.Map.of(), null).getSubcommands().keySet()));
        assertEquals(all, java.util.List.copyOf(Main.commandLine(java.util.Map.of(), "--help").getSubcommands().keySet()));
        // a mistyped command is told the names it may have meant, which needs them all
        var typo = run("helth", "x.db");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Did you mean") && typo.err().contains("health"), typo.err());
        var none = run();
        assertTrue(none.err().contains("Missing a command: one of " + String.join(", ", all)), none.err());
    }

    @Test
    void backupListVerifyRestorePruneRoundTrip() {
        var file = database(4);
        var backup = run("backup", "--json", "-m", "four", file.toString());
        assertEquals(0, backup.code(), backup.err());
        assertEquals("", backup.err(), "no progress bar without a terminal");
        var name = backup.json().get("name").asText();
        assertEquals("four", backup.json().get("metadata").get("description").asText());
        assertEquals(Fixtures.sha256(Path.of(backup.json().get("file").asText())),
                backup.json().get("metadata").get("sha256").asText());

        try (var db = Pipescope.open(file)) {
            db.pipelines().save(Pipeline.builder("extra").build());
        }
        var listed = run("backups", "--json", file.toString()).json();
        assertEquals(1, listed.size());
        assertEquals(name, listed.get(0).get("name").asText());

        var verify = run("verify", "--json", file.toString());
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.json().get(0).get("ok").asBoolean());

        var restore = run("restore", "--json", file.toString(), name);
        assertEquals(0, restore.code(), restore.err());
        var safety = restore.json().get("safetyBackup").asText();
        assertTrue(Files.exists(Path.of(safety)));
        var info = run("info", "--json", file.toString()).json();
        assertEquals(4, info.get("rowCounts").get("pipelines").asInt(), "the extra pipeline is gone");

        var dryRun = run("prune", "--json", "--keep-last", "1", "--dry-run", file.toString());
        assertEquals(0, dryRun.code(), dryRun.err());
        assertEquals(1, dryRun.json().get("wouldDelete").size());
        assertEquals(2, run("backups", "--json", file.toString()).json().size());
        var prune = run("prune", "--keep-last", "1", file.toString());
        assertEquals(0, prune.code(), prune.err());
        assertTrue(prune.out().contains("deleted 1 backup(s), kept 1"), prune.out());
        assertEquals(1, run("backups", "--json", file.toString()).json().size());
    }

    @Test
    void aDamagedBackupFailsVerifyWithOneAndRestoreLeavesTheDatabaseAlone() throws IOException {
        var file = database(2);
        var backup = run("backup", "--json", file.toString()).json();
        var backupFile = Path.of(backup.get("file").asText());
        try (var raf = new RandomAccessFile(backupFile.toFile(), "rw")) {
            raf.setLength(backupFile.toFile().length() - 4096);
        }
        var verify = run("verify", file.toString(), backup.get("name").asText());
        assertEquals(1, verify.code());
        assertTrue(verify.out().contains("INVALID") && verify.out().contains("FAIL size"), verify.out());
        var hash = Fixtures.sha256(file);
        var restore = run("restore", "--json", file.toString(), backup.get("name").asText());
        assertEquals(1, restore.code());
        assertEquals("InvalidBackupException", restore.json().get("type").asText());
        assertTrue(restore.err().contains("sha256"), restore.err());
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void restoreWhileTheDatabaseIsOpenExitsWithFour() {
        var file = database(2);
        var name = run("backup", "--json", file.toString()).json().get("name").asText();
        var hash = Fixtures.sha256(file);
        try (var open = Pipescope.open(file)) {
            assertEquals(2, open.pipelines().count());
            var restore = run("restore", file.toString(), name);
            assertEquals(4, restore.code(), restore.err());
            assertTrue(restore.err().contains("another connection or process"), restore.err());
        }
        assertEquals(hash, Fixtures.sha256(file));
    }

    @Test
    void healthExitsOneOnlyWhenUnhealthy() {
        var file = database(1);
        var degraded = run("health", "--json", file.toString());
        assertEquals(0, degraded.code(), degraded.err());
        assertEquals("degraded", degraded.json().get("status").asText());
        run("backup", file.toString());
        var healthy = run("health", file.toString());
        assertEquals(0, healthy.code());
        assertTrue(healthy.out().contains("healthy"), healthy.out());
    }

    @Test
    void migrateAdoptsAnUpstreamFileAndRefusesToInventOne() {
        var file = Fixtures.copy("adaptive_pipeline.db", dir);
        file.toFile().setWritable(true);
        var before = run("info", "--json", file.toString()).json();
        assertTrue(before.get("schemaVersion").isNull());
        var migrate = run("migrate", "--json", "--backup-first", file.toString());
        assertEquals(0, migrate.code(), migrate.err());
        assertEquals(Migrations.latestVersion(), migrate.json().get("schemaVersion").asInt());
        assertTrue(Files.exists(Path.of(migrate.json().get("backup").asText())));
        assertEquals(before.get("rowCounts").get("pipelines"),
                run("info", "--json", file.toString()).json().get("rowCounts").get("pipelines"));

        var absent = run("migrate", dir.resolve("new.db").toString());
        assertEquals(3, absent.code());
        assertFalse(Files.exists(dir.resolve("new.db")));
        assertEquals(0, run("migrate", "--create", dir.resolve("new.db").toString()).code());
        assertTrue(Files.exists(dir.resolve("new.db")));
    }

    @Test
    void progressBarDrawsInPlaceAndEndsItsLine() {
        var text = new java.io.StringWriter();
        var bar = new ProgressBar(new java.io.PrintWriter(text));
        bar.report("backup", 0, 200);
        bar.report("backup", 1, 200);
        bar.report("backup", 100, 200);
        bar.report("checksum", 200, 200);
        bar.finish();
        var drawn = text.toString();
        assertEquals(3, drawn.split("\r", -1).length - 1, "one redraw per whole percent change: " + drawn);
        assertTrue(drawn.contains("backup           [###############               ]  50%"), drawn);
        assertTrue(drawn.endsWith("checksum         [##############################] 100%\n"), drawn);
    }
}
