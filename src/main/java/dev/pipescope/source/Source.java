package dev.pipescope.source;

import dev.pipescope.domain.Layout;
import dev.pipescope.engine.Dialect;
import dev.pipescope.engine.EngineConnections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Pipescope knows about one upstream tool ("source"), as the database assembly needs it: how its
 * tables are recognised, where its SQL is, and how its rows become unified runs. Each tool's package
 * ({@code dev.pipescope.source.dagger}, ...) holds one implementation, registered in
 * {@code dev.pipescope.store.Sources}; {@code docs/adding-a-source.md} shows how to add one.
 */
public interface Source {

    /** The layout this source's tables make up. */
    Layout layout();

    /**
     * The tables that make up the layout and the columns each must have (more are allowed): a file
     * holds the layout when every one of them is there.
     */
    Map<String, Set<String>> tables();

    /**
     * The tables and columns of the layout on {@code dialect}'s databases: {@link #tables()} unless the tool keeps
     * other tables on that engine (Hyperpage's PostgreSQL database is not its SQLite file's schema).
     */
    default Map<String, Set<String>> tables(Dialect dialect) {
        return tables();
    }

    /** True when Pipescope's own migrations create these tables (so a same-named table must match). */
    boolean createdByMigrations();

    /** The classes that hold this source's SQL text, so one test can prepare every statement. */
    List<Class<?>> sqlClasses();

    /** The classes that hold this source's SQL for {@code dialect}'s databases: {@link #sqlClasses()} unless it differs. */
    default List<Class<?>> sqlClasses(Dialect dialect) {
        return sqlClasses();
    }

    /**
     * True when this source's repositories and run reader work on {@code dialect}'s databases: its statements
     * that differ between engines have that dialect's form. A database of another dialect never lists its layout.
     */
    default boolean readsOn(Dialect dialect) {
        return dialect == Dialect.SQLITE;
    }

    /** How this source's rows become unified runs, for a database that holds its layout; empty when it has no runs. */
    Optional<RunReader> runs(EngineConnections connections);

    /**
     * An older column set of the tool's tables that can still be read, read-only, through temporary views
     * that give the missing columns their obvious absent value; empty when there is none.
     */
    default Optional<OlderLayout> olderLayout() {
        return Optional.empty();
    }

    /**
     * @param tables the tables and the columns each must have in the older column set
     * @param views  {@code CREATE TEMP VIEW} statements, named as the tables, that read them with the
     *               missing columns filled in (temporary objects shadow the file's own for unqualified names)
     */
    record OlderLayout(Map<String, Set<String>> tables, List<String> views) {}
}
