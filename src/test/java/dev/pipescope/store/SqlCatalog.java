package dev.pipescope.store;

import dev.pipescope.ops.OpsSql;
import dev.pipescope.sqlite.SchemaSql;

import dev.pipescope.domain.Layout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every class that holds SQL text, so one test can prepare every statement against a freshly migrated
 * database: our stand-in for compile-time checked queries. A class lists its statements as
 * {@code static final String} fields, or as static fields of a record type whose components are strings.
 */
public final class SqlCatalog {
    /**
     * The sources' SQL classes (each source lists its own) and the engine's and operations'; {@code SqlCatalogTest}
     * fails for a {@code *Sql} class that is in none of them.
     */
    public static final List<Class<?>> CLASSES = classes();

    private static List<Class<?>> classes() {
        var all = new ArrayList<Class<?>>(Sources.sqlClasses().keySet());
        all.add(SchemaSql.class);
        all.add(OpsSql.class);
        return List.copyOf(all);
    }

    /**
     * Classes whose SQL runs on another tool's tables, which Pipescope's migrations do not create:
     * {@code SqlCatalogTest} prepares them on a fixture file of that layout instead.
     */
    public static final Map<String, Layout> OTHER_TOOLS = Map.of("HyperpageSql", Layout.HYPERPAGE,
            "EtlSql", Layout.ETL, "DaggerRunSql", Layout.DAGGER);

    private SqlCatalog() {}

    /** Every statement by {@code Class.FIELD[.component]}. */
    public static Map<String, String> statements() {
        var result = new LinkedHashMap<String, String>();
        for (var type : CLASSES) {
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
                    result.put(name, sql);
                } else if (value != null && value.getClass().isRecord()) {
                    for (RecordComponent component : value.getClass().getRecordComponents()) {
                        if (component.getType() == String.class) {
                            result.put(name + "." + component.getName(), read(component, value));
                        }
                    }
                }
            }
        }
        return result;
    }

    /** Fragments that are not whole statements (column lists) are left out by their name ending in _COLUMNS. */
    public static Map<String, String> preparable() {
        var result = new LinkedHashMap<String, String>();
        statements().forEach((name, sql) -> {
            if (!name.endsWith("_COLUMNS") && !OTHER_TOOLS.containsKey(classOf(name).getSimpleName())) {
                result.put(name, sql);
            }
        });
        return result;
    }

    /** The whole statements that run on {@code layout}, another tool's tables (see {@link #OTHER_TOOLS}). */
    public static Map<String, String> preparable(Layout layout) {
        var result = new LinkedHashMap<String, String>();
        statements().forEach((name, sql) -> {
            if (!name.endsWith("_COLUMNS") && layout == OTHER_TOOLS.get(classOf(name).getSimpleName())) {
                result.put(name, sql);
            }
        });
        return result;
    }

    private static Class<?> classOf(String statementName) {
        var simpleName = statementName.substring(0, statementName.indexOf('.'));
        return CLASSES.stream().filter(c -> c.getSimpleName().equals(simpleName)).findFirst().orElseThrow();
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

    /** Simple names of the {@code *Sql} classes registered. */
    public static List<String> classNames() {
        var names = new ArrayList<String>();
        CLASSES.forEach(c -> names.add(c.getName()));
        return names;
    }
}
