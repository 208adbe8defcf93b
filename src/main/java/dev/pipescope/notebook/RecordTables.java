package dev.pipescope.notebook;

import tech.tablesaw.api.Table;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Tables of Pipescope's domain records (a {@code Pipeline}, a {@code List<PipelineRun>}...), one column
 * per record component, so any domain value renders as a table without a helper call.
 */
final class RecordTables {

    private RecordTables() {
    }

    /** Whether {@code value} is a Pipescope record, or a non-empty collection of records of one such type. */
    static Optional<Class<?>> recordType(Object value) {
        if (value instanceof Record && isPipescope(value.getClass())) {
            return Optional.of(value.getClass());
        }
        if (value instanceof Collection<?> items && !items.isEmpty()) {
            Class<?> type = null;
            for (Object item : items) {
                if (item == null || !(item instanceof Record) || (type != null && item.getClass() != type)) {
                    return Optional.empty();
                }
                type = item.getClass();
            }
            return isPipescope(type) ? Optional.of(type) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isPipescope(Class<?> type) {
        return type.getName().startsWith("dev.pipescope.") && !type.getName().startsWith("dev.pipescope.kernel.")
                && type != Chart.class && type != TableView.class;
    }

    static Table of(Object value) {
        Class<?> type = recordType(value).orElseThrow(() -> new IllegalArgumentException("not Pipescope records: " + value));
        List<?> rows = value instanceof Collection<?> items ? List.copyOf(items) : List.of(value);
        TableBuilder<Object> builder = new TableBuilder<>(type.getSimpleName());
        for (RecordComponent component : type.getRecordComponents()) {
            String name = snake(component.getName());
            Class<?> t = component.getType();
            if (t == long.class || t == Long.class || t == OptionalLong.class || t == Duration.class) {
                String column = t == Duration.class ? name + "_ms" : name;
                builder.longs(column, r -> {
                    Object v = read(component, r);
                    if (v instanceof OptionalLong o) {
                        return o.isPresent() ? o.getAsLong() : null;
                    }
                    if (v instanceof Duration d) {
                        return d.toMillis();
                    }
                    return (Long) v;
                });
            } else if (t == int.class || t == Integer.class || t == OptionalInt.class) {
                builder.ints(name, r -> {
                    Object v = read(component, r);
                    return v instanceof OptionalInt o ? (o.isPresent() ? o.getAsInt() : null) : (Integer) v;
                });
            } else if (t == double.class || t == Double.class || t == OptionalDouble.class) {
                builder.doubles(name, r -> {
                    Object v = read(component, r);
                    return v instanceof OptionalDouble o ? (o.isPresent() ? o.getAsDouble() : null) : (Double) v;
                });
            } else if (t == boolean.class || t == Boolean.class) {
                builder.bool(name, r -> (Boolean) read(component, r));
            } else if (t == Instant.class || t == LocalDateTime.class) {
                builder.instant(name, r -> {
                    Object v = read(component, r);
                    return v instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : (Instant) v;
                });
            } else {
                builder.string(name, r -> {
                    Object v = read(component, r);
                    if (v instanceof Optional<?> o) {
                        v = o.orElse(null);
                    }
                    if (v instanceof Enum<?> e) {
                        return e.name().toLowerCase(java.util.Locale.ROOT);
                    }
                    return v == null ? null : v.toString();
                });
            }
        }
        return builder.build(rows);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass().getName(), e);
        }
    }

    /** camelCase to snake_case, so column names follow the formatting convention of {@link Formats#kindOf}. */
    static String snake(String camel) {
        StringBuilder out = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
