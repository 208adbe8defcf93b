package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The training run behind the launcher's class-data archive ({@link LauncherInstaller}): runs the
 * quick commands a person types (help, version, info and health, as a table and as JSON, on a Pipescope
 * file and on a SQLite file of no known layout) in the folder it is given, printing nothing. The
 * installer makes that folder and deletes it afterwards.
 * Exit status 0 when every command gave the exit code expected of it.
 */
final class LauncherTraining {
    private LauncherTraining() {}

    public static void main(String[] args) throws IOException, SQLException {
        if (args.length != 1) {
            System.err.println("usage: LauncherTraining DIR (an empty folder to work in)");
            System.exit(ExitCodes.USAGE);
        }
        System.exit(train(Path.of(args[0])) == 0 ? 0 : 1);
    }

    /** @return how many commands gave another exit code than expected (each is named on stderr) */
    static int train(Path dir) throws IOException, SQLException {
        Path ours = dir.resolve("pipescope.db");
        Pipescope.open(ours).close();
        Path other = dir.resolve("other.db");
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + other);
             var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (a INTEGER)");
        }
        var quiet = new PrintStream(OutputStream.nullOutputStream());
        int failures = 0;
        failures += expect(ExitCodes.OK, Main.run(quiet, quiet, "--help"));
        failures += expect(ExitCodes.OK, Main.run(quiet, quiet, "--version"));
        failures += expect(ExitCodes.OK, Main.run(quiet, quiet, "info", "--help"));
        failures += expect(ExitCodes.OK, Main.run(quiet, quiet, "info", ours.toString()));
        failures += expect(ExitCodes.OK, Main.run(quiet, quiet, "info", "--json", ours.toString()));
        // healthy, or degraded for want of a backup: either is a normal answer here
        for (var json : new boolean[] {false, true}) {
            int health = json ? Main.run(quiet, quiet, "health", "--json", ours.toString())
                    : Main.run(quiet, quiet, "health", ours.toString());
            failures += expect(health == ExitCodes.CHECK_FAILED ? ExitCodes.CHECK_FAILED : ExitCodes.OK, health);
        }
        // a file of no known layout: the typed error path
        failures += expect(ExitCodes.NOT_FOUND, Main.run(quiet, quiet, "info", other.toString()));
        return failures;
    }

    private static int expect(int expected, int actual) {
        if (expected != actual) {
            System.err.println("training command exited " + actual + ", expected " + expected);
            return 1;
        }
        return 0;
    }
}
