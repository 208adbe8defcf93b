package dev.pipescope.cli;

import dev.pipescope.ops.Backups;
import dev.pipescope.ops.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command shares: the database file, {@code --json}, progress and the streams to print on. */
abstract class DatabaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATABASE", description = "the SQLite database file")
    Path database;

    @Option(names = "--json", description = "print JSON (for scripts) instead of a table")
    boolean json;

    @Option(names = "--no-progress", description = "never draw progress bars (they are drawn only on a terminal)")
    boolean noProgress;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Progress progress() {
        return ProgressBar.forTerminal(err(), !noProgress);
    }

    /**
     * Removes what killed or failed backups and restores of this database left behind, saying so on stderr;
     * every command runs it first, so no temporary file outlives the next command.
     */
    void tidyLeftovers(Path dir) {
        for (var line : backups(dir).tidy()) {
            err().println("pipescope: " + line);
        }
        err().flush();
    }

    /** Backups of {@link #database}, in {@code dir} when given. */
    Backups backups(Path dir) {
        var backups = Backups.forFile(database);
        return dir == null ? backups : backups.in(dir);
    }
}
