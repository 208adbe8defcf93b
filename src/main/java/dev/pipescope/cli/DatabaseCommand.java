package dev.pipescope.cli;

import dev.pipescope.DatabaseConfig;
import dev.pipescope.DatabaseLocation;
import dev.pipescope.ServerTarget;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.ops.Backups;
import dev.pipescope.ops.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command shares: the database (a file, or an alias), {@code --json}, progress and the streams to print on. */
abstract class DatabaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATABASE",
            description = "the SQLite database file, or an alias of one (pipescope databases lists them)")
    String database;

    /** What {@link #database} names, resolved once. */
    private DatabaseLocation location;

    @Option(names = "--json", description = "print JSON (for scripts) instead of a table")
    boolean json;

    @Option(names = "--no-progress", description = "never draw progress bars (they are drawn only on a terminal)")
    boolean noProgress;

    /** The aliases and credentials of the environment {@code pipescope} runs in. */
    DatabaseConfig config() {
        return DatabaseConfig.of(((Main) spec.parent().userObject()).environment);
    }

    /**
     * Where {@link #database} is: a file path, an alias, or a server URL.
     *
     * @throws dev.pipescope.error.UnknownAliasException for a name that is no alias and no file
     */
    DatabaseLocation location() {
        if (location == null) {
            location = config().resolve(database);
        }
        return location;
    }

    /**
     * The SQLite file {@link #database} names (a path, or an alias of a file). For a command that may create the
     * file ({@link #mayCreate()}), a name of an alias's shape that is no alias and no file is a new file's path.
     *
     * @throws InvalidArgumentException when it names a server database: this command works on files
     */
    Path file() {
        var name = database.strip();
        if (mayCreate() && DatabaseConfig.isAliasName(name) && !Files.exists(Path.of(name)) && !config().defines(name)) {
            return Path.of(name);
        }
        if (location() instanceof DatabaseLocation.File file) {
            return file.path();
        }
        throw new InvalidArgumentException(spec.name() + " works on SQLite files; " + ServerTarget.redact(name)
                + " is the PostgreSQL database "
                + ((DatabaseLocation.Server) location()).target().location() + " (use PostgreSQL's own tools, e.g. pg_dump, for it)");
    }

    /** True when this command (with its options) creates the database file when there is none. */
    boolean mayCreate() {
        return false;
    }

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

    /** Backups of the file {@link #database} names, in {@code dir} when given. */
    Backups backups(Path dir) {
        var backups = Backups.forFile(file());
        return dir == null ? backups : backups.in(dir);
    }
}
