package dev.pipescope.notebook;

import dev.pipescope.DatabaseLocation;
import dev.pipescope.Pipescope;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.LayoutNotPresentException;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The database the notebook helpers read, shared by the session and its table builders: which file is
 * current, why {@code PIPESCOPE_DB} could not be opened, and which layouts a helper needs.
 */
final class CurrentDatabase implements AutoCloseable {

    private PipescopeDatabase db;
    /** How the current database was named (an alias, a URL, a path), when it was opened by name. */
    private Optional<DatabaseLocation> location = Optional.empty();
    /** Why PIPESCOPE_DB could not be opened, reported when a helper first needs the database. */
    private RuntimeException environmentFailure;

    /** Opens {@code path} read-write only if Pipescope created it; any other tool's file read-only. */
    static PipescopeDatabase openByOwner(Path path) {
        return openByOwner(new DatabaseLocation.File(path, Optional.empty()));
    }

    /**
     * Opens a file or server database read-write only if Pipescope created it (its layouts include
     * {@link Layout#PIPESCOPE}); any other tool's database read-only, so looking never changes it.
     */
    static PipescopeDatabase openByOwner(DatabaseLocation where) {
        PipescopeDatabase probe = Pipescope.openReadOnly(where);
        if (!probe.layouts().contains(Layout.PIPESCOPE)) {
            return probe;
        }
        probe.close();
        return Pipescope.open(where);
    }

    /** Makes {@code database} current, closing the one it replaces. */
    void use(PipescopeDatabase database) {
        use(database, Optional.empty());
    }

    /** Makes {@code database}, opened from {@code where}, current, closing the one it replaces. */
    void use(PipescopeDatabase database, Optional<DatabaseLocation> where) {
        PipescopeDatabase previous = db;
        db = Objects.requireNonNull(database, "database");
        location = Objects.requireNonNull(where, "where");
        environmentFailure = null;
        if (previous != null && previous != database) {
            previous.close();
        }
    }

    void failedToOpen(RuntimeException why) {
        environmentFailure = why;
    }

    /**
     * The current database.
     *
     * @throws InvalidArgumentException when there is none, saying how to open one (and why PIPESCOPE_DB failed)
     */
    PipescopeDatabase db() {
        if (db == null && environmentFailure != null) {
            throw new InvalidArgumentException("PIPESCOPE_DB could not be opened (" + environmentFailure.getMessage()
                    + "); call open(...) or openReadOnly(...) with an alias, a URL or a path", environmentFailure);
        }
        if (db == null) {
            throw new InvalidArgumentException("no current database: call open(path) or openReadOnly(path), "
                    + "or open(\"alias\") or open(\"postgresql://...\") (or start the kernel with PIPESCOPE_DB set)");
        }
        return db;
    }

    Optional<PipescopeDatabase> current() {
        return Optional.ofNullable(db);
    }

    boolean has(Layout layout) {
        return db().layouts().contains(layout);
    }

    /** The database as error messages name it: its file, else its alias and URL (never a password). */
    String where() {
        return db().path().map(Path::toString).or(() -> location.map(DatabaseLocation::describe))
                .orElse("the current database");
    }

    /** How {@code describe()} names it: {@code prod: /data/runs.db}, {@code prod: postgresql://analyst@db:5432/fleet}. */
    String name() {
        var path = db().path();
        var alias = location.flatMap(DatabaseLocation::alias).map(a -> a + ": ").orElse("");
        if (path.isPresent()) {
            return alias + path.get();
        }
        // a database made current as an open object: a server by its location (never its password)
        return location.map(DatabaseLocation::describe).orElseGet(() -> ":memory:".equals(db().connections().location())
                ? "(in memory)" : db().connections().location());
    }

    /** @throws LayoutNotPresentException naming {@code helper}, the layout and what the file holds */
    void require(Layout layout, String helper) {
        if (!has(layout)) {
            throw new LayoutNotPresentException(helper + " needs " + layout.description() + " tables, which "
                    + where() + " does not have (it holds " + new TreeSet<>(db().layouts()) + ")");
        }
    }

    @Override
    public void close() {
        PipescopeDatabase open = db;
        db = null;
        location = Optional.empty();
        if (open != null) {
            open.close();
        }
    }
}
