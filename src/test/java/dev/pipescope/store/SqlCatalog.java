package dev.pipescope.store;

import dev.pipescope.domain.Layout;
import dev.pipescope.engine.Dialect;
import dev.pipescope.ops.OpsSql;
import dev.pipescope.postgres.PostgresSql;
import dev.pipescope.sqlite.SchemaSql;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every class that holds SQL text, so one test can prepare every statement against a freshly migrated
 * database of each engine: our stand-in for compile-time checked queries. A class lists its statements as
 * {@code static final String} fields, or as static fields of a record type whose components are strings.
 * A record field named after a {@link Dialect} ({@code SQLITE}, {@code POSTGRESQL}) holds that engine's form of
 * the statements that differ; every other statement runs on each engine its class serves.
 */
public final class SqlCatalog {
    /**
     * The sources' SQL classes (each source lists its own, serving the engines it reads on) and the engines'
     * and operations' own; {@code SqlCatalogTest} fails for a {@code *Sql} class that is in none of them.
     */
    public static final Map<Class<?>, Set<Dialect>> CLASSES = classes();

    private static Map<Class<?>, Set<Dialect>> classes() {
        var all = new LinkedHashMap<Class<?>, Set<Dialect>>();
        var byClass = new LinkedHashMap<Class<?>, EnumSet<Dialect>>();
        for (var source : Sources.ALL) {
            Arrays.stream(Dialect.values()).filter(source::readsOn).forEach(dialect -> source.sqlClasses(dialect)
                    .forEach(c -> byClass.computeIfAbsent(c, k -> EnumSet.noneOf(Dialect.class)).add(dialect)));
        }
        byClass.forEach((c, dialects) -> all.put(c, Set.copyOf(dialects)));
        all.put(SchemaSql.class, Set.of(Dialect.SQLITE));
        all.put(OpsSql.class, Set.of(Dialect.SQLITE));
        all.put(PostgresSql.class, Set.of(Dialect.POSTGRESQL));
        return Map.copyOf(all);
    }

    /**
     * Classes whose SQL runs on another tool's tables, which Pipescope's SQLite migrations do not create:
     * {@code SqlCatalogTest} prepares them on a fixture file of that layout instead. (Dagger's tables are also
     * Pipescope's: on PostgreSQL its run SQL is prepared with the rest.)
     */
    public static final Map<String, Layout> OTHER_TOOLS = Map.of("HyperpageSql", Layout.HYPERPAGE,
            "EtlSql", Layout.ETL, "DaggerRunSql", Layout.DAGGER);

    /**
     * Classes whose SQL runs on another tool's PostgreSQL tables, which Pipescope's PostgreSQL migrations do not
     * create: prepared on a database made by that tool's schema script instead.
     */
    public static final Map<String, Layout> OTHER_TOOLS_ON_POSTGRESQL = Map.of("HyperpagePostgresSql", Layout.HYPERPAGE,
            "EtlSql", Layout.ETL);

    /** One statement: {@code Class.FIELD[.component]}, its text, and the engines it runs on. */
    public record Statement(String name, String sql, Set<Dialect> dialects) {}

    private SqlCatalog() {}

    /** Every statement, in a stable order. */
    public static List<Statement> statements() {
        var result = new ArrayList<Statement>();
        var ordered = new ArrayList<>(CLASSES.keySet());
        ordered.sort(java.util.Comparator.comparing(Class::getName));
        for (var type : ordered) {
            var dialects = CLASSES.get(type);
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                field.setAccessible(true);
                Object value;
                try {
                    value = field.get(null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + field.getName(), e);
                }
                var name = type.getSimpleName() + "." + field.getName();
                if (value instanceof String sql) {
                    result.add(new Statement(name, sql, dialects));
                } else if (value != null && value.getClass().isRecord()) {
                    var only = dialectNamed(field.getName()).map(Set::of).orElse(dialects);
                    for (RecordComponent component : value.getClass().getRecordComponents()) {
                        if (component.getType() == String.class) {
                            result.add(new Statement(name + "." + component.getName(), read(component, value), only));
                        }
                    }
                }
            }
        }
        return result;
    }

    private static java.util.Optional<Dialect> dialectNamed(String fieldName) {
        return Arrays.stream(Dialect.values()).filter(d -> d.name().equals(fieldName)).findFirst();
    }

    /**
     * The whole statements that run on {@code dialect}'s freshly migrated database, by name. Fragments that are
     * not whole statements (column lists) are left out by their name ending in {@code _COLUMNS}, and on SQLite
     * the statements on other tools' tables ({@link #OTHER_TOOLS}).
     */
    public static Map<String, String> preparable(Dialect dialect) {
        var result = new LinkedHashMap<String, String>();
        for (var statement : statements()) {
            if (statement.dialects().contains(dialect) && !statement.name().endsWith("_COLUMNS")
                    && !(dialect == Dialect.SQLITE && OTHER_TOOLS.containsKey(simpleClassName(statement)))
                    && !(dialect == Dialect.POSTGRESQL && OTHER_TOOLS_ON_POSTGRESQL.containsKey(simpleClassName(statement)))) {
                result.put(statement.name(), statement.sql());
            }
        }
        return result;
    }

    /** The whole SQLite statements that run on {@code layout}, another tool's tables (see {@link #OTHER_TOOLS}). */
    public static Map<String, String> preparable(Layout layout) {
        var result = new LinkedHashMap<String, String>();
        for (var statement : statements()) {
            if (statement.dialects().contains(Dialect.SQLITE) && !statement.name().endsWith("_COLUMNS")
                    && layout == OTHER_TOOLS.get(simpleClassName(statement))) {
                result.put(statement.name(), statement.sql());
            }
        }
        return result;
    }

    /** The whole PostgreSQL statements that run on {@code layout}, another tool's tables ({@link #OTHER_TOOLS_ON_POSTGRESQL}). */
    public static Map<String, String> preparableOnPostgresql(Layout layout) {
        var result = new LinkedHashMap<String, String>();
        for (var statement : statements()) {
            if (statement.dialects().contains(Dialect.POSTGRESQL) && !statement.name().endsWith("_COLUMNS")
                    && layout == OTHER_TOOLS_ON_POSTGRESQL.get(simpleClassName(statement))) {
                result.put(statement.name(), statement.sql());
            }
        }
        return result;
    }

    private static String simpleClassName(Statement statement) {
        return statement.name().substring(0, statement.name().indexOf('.'));
    }

    private static String read(RecordComponent component, Object record) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return (String) accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    /** Names of the {@code *Sql} classes registered. */
    public static List<String> classNames() {
        var names = new ArrayList<String>();
        CLASSES.keySet().forEach(c -> names.add(c.getName()));
        return names;
    }
}
