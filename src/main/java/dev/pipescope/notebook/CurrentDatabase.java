package dev.pipescope.notebook;

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
    /** Why PIPESCOPE_DB could not be opened, reported when a helper first needs the database. */
    private RuntimeException environmentFailure;

    /** Opens {@code path} read-write only if Pipescope created it; any other tool's file read-only. */
    static PipescopeDatabase openByOwner(Path path) {
        PipescopeDatabase probe = Pipescope.openReadOnly(path);
        if (!probe.layouts().contains(Layout.PIPESCOPE)) {
            return probe;
        }
        probe.close();
        return Pipescope.open(path);
    }

    /** Makes {@code database} current, closing the one it replaces. */
    void use(PipescopeDatabase database) {
        PipescopeDatabase previous = db;
        db = Objects.requireNonNull(database, "database");
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
                    + "); call open(path) or openReadOnly(path)", environmentFailure);
        }
        if (db == null) {
            throw new InvalidArgumentException("no current database: call open(path) or openReadOnly(path) "
                    + "(or start the kernel with PIPESCOPE_DB set)");
        }
        return db;
    }

    Optional<PipescopeDatabase> current() {
        return Optional.ofNullable(db);
    }

    boolean has(Layout layout) {
        return db().layouts().contains(layout);
    }

    /** The file's path as error messages name it. */
    String where() {
        return db().path().map(Path::toString).orElse("the current database");
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
        if (open != null) {
            open.close();
        }
    }
}
