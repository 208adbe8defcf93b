package dev.pipescope.store;

import dev.pipescope.domain.Layout;
import dev.pipescope.engine.Dialect;
import dev.pipescope.source.RunReader;
import dev.pipescope.source.Source;
import dev.pipescope.source.dagger.DaggerSource;
import dev.pipescope.source.etl.EtlSource;
import dev.pipescope.source.hyperpage.HyperpageSource;
import dev.pipescope.source.pipeline.PipelineSource;
import dev.pipescope.source.runs.RunHistorySource;
import dev.pipescope.sqlite.SchemaInspector;
import dev.pipescope.engine.EngineConnections;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The one place where sources are registered: every upstream tool Pipescope reads. */
public final class Sources {
    /** Every source, in the order layouts are listed. Add a new tool's {@link Source} here. */
    public static final List<Source> ALL = List.of(new PipelineSource(), new RunHistorySource(), new DaggerSource(),
            new HyperpageSource(), new EtlSource());

    /** Pipescope's own layout: its Flyway history. */
    static final Map<String, Set<String>> PIPESCOPE_TABLES = Map.of("flyway_schema_history", Set.of("version", "success"));

    private Sources() {}

    /** Per layout, its tables and the columns each must have. */
    public static Map<Layout, Map<String, Set<String>>> signatures() {
        return signatures(Dialect.SQLITE);
    }

    /** Per layout read on {@code dialect}'s databases, its tables and the columns each must have. */
    public static Map<Layout, Map<String, Set<String>>> signatures(Dialect dialect) {
        var all = new EnumMap<Layout, Map<String, Set<String>>>(Layout.class);
        all.put(Layout.PIPESCOPE, PIPESCOPE_TABLES);
        ALL.stream().filter(source -> source.readsOn(dialect))
                .forEach(source -> all.put(source.layout(), source.tables(dialect)));
        return all;
    }

    /** The signatures of the layouts whose tables Pipescope's migrations create. */
    static Map<Layout, Map<String, Set<String>>> createdByMigrations() {
        return createdByMigrations(Dialect.SQLITE);
    }

    /** The signatures of the layouts whose tables Pipescope's migrations for {@code dialect} create. */
    static Map<Layout, Map<String, Set<String>>> createdByMigrations(Dialect dialect) {
        var ours = new EnumMap<Layout, Map<String, Set<String>>>(Layout.class);
        ALL.stream().filter(source -> source.createdByMigrations() && source.readsOn(dialect))
                .forEach(source -> ours.put(source.layout(), source.tables(dialect)));
        return ours;
    }

    /** The layouts whose tables are all in {@code tables} (table name to its columns). */
    public static Set<Layout> layouts(Map<String, Set<String>> tables) {
        return layouts(tables, Dialect.SQLITE);
    }

    /** The layouts read on {@code dialect}'s databases whose tables are all in {@code tables}. */
    public static Set<Layout> layouts(Map<String, Set<String>> tables, Dialect dialect) {
        return SchemaInspector.layouts(tables, signatures(dialect));
    }

    /**
     * The views that read the older column sets a file holds, by layout: for sources whose current tables
     * are not all there ({@code current} is {@link #layouts} of the same tables) but whose older ones are.
     */
    public static Map<Layout, List<String>> olderLayouts(Map<String, Set<String>> tables, Set<Layout> current) {
        var found = new EnumMap<Layout, List<String>>(Layout.class);
        for (var source : ALL) {
            if (current.contains(source.layout())) {
                continue;
            }
            source.olderLayout().ifPresent(older -> {
                if (!SchemaInspector.layouts(tables, Map.of(source.layout(), older.tables())).isEmpty()) {
                    found.put(source.layout(), older.views());
                }
            });
        }
        return found;
    }

    /** The readers of unified runs of the sources a database with {@code layouts} holds (run history's aside). */
    static List<RunReader> runReaders(EngineConnections connections, Set<Layout> layouts) {
        var readers = new ArrayList<RunReader>();
        for (var source : ALL) {
            if (layouts.contains(source.layout()) && source.readsOn(connections.dialect())) {
                source.runs(connections).ifPresent(readers::add);
            }
        }
        return readers;
    }

    /** Every class that holds SQL text, source by source. */
    public static Map<Class<?>, Layout> sqlClasses() {
        var classes = new java.util.LinkedHashMap<Class<?>, Layout>();
        for (var source : ALL) {
            for (var dialect : Dialect.values()) {
                if (source.readsOn(dialect)) {
                    source.sqlClasses(dialect).forEach(c -> classes.put(c, source.layout()));
                }
            }
        }
        return classes;
    }
}
