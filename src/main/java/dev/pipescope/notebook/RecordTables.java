package dev.pipescope.notebook;

import dev.pipescope.domain.PipelineStage;
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
import java.util.stream.Collectors;

/**
 * Tables of Pipescope's domain records (a {@code Pipeline}, a {@code List<PipelineRun>}...), one column
 * per record component, so any domain value renders as a table without a helper call. Nested records
 * spread into columns, nested collections show compactly ({@link #compact}).
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
        addColumns(builder, type, "", r -> r, new java.util.HashSet<>(), names(type));
        return builder.build(rows);
    }

    /** The top-level component names, which nested records' columns must not take. */
    private static java.util.Set<String> names(Class<?> type) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            names.add(snake(component.getName()));
        }
        return names;
    }

    /**
     * A column per component of {@code type}, read from a row through {@code path}. A nested Pipescope
     * record (a run's {@code RunMeasures}) spreads into its own components' columns, named as they are
     * unless a top-level column has that name (then {@code parent_child}), so they keep their formats.
     */
    private static void addColumns(TableBuilder<Object> builder, Class<?> type, String prefix,
                                   java.util.function.Function<Object, Object> path, java.util.Set<String> taken,
                                   java.util.Set<String> topLevel) {
        for (RecordComponent component : type.getRecordComponents()) {
            String own = snake(component.getName());
            String name = prefix.isEmpty() || (!topLevel.contains(own) && !taken.contains(own)) ? own : prefix + own;
            Class<?> t = component.getType();
            java.util.function.Function<Object, Object> reader = r -> {
                Object parent = path.apply(r);
                return parent == null ? null : read(component, parent);
            };
            if (t.isRecord() && isPipescope(t)) {
                addColumns(builder, t, name + "_", reader, taken, topLevel);
                continue;
            }
            taken.add(name);
            if (t == long.class || t == Long.class || t == OptionalLong.class || t == Duration.class) {
                String column = t == Duration.class ? name + "_ms" : name;
                builder.longs(column, r -> {
                    Object v = reader.apply(r);
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
                    Object v = reader.apply(r);
                    return v instanceof OptionalInt o ? (o.isPresent() ? o.getAsInt() : null) : (Integer) v;
                });
            } else if (t == double.class || t == Double.class || t == OptionalDouble.class) {
                builder.doubles(name, r -> {
                    Object v = reader.apply(r);
                    return v instanceof OptionalDouble o ? (o.isPresent() ? o.getAsDouble() : null) : (Double) v;
                });
            } else if (t == boolean.class || t == Boolean.class) {
                builder.bool(name, r -> (Boolean) reader.apply(r));
            } else if (t == Instant.class || t == LocalDateTime.class) {
                builder.instant(name, r -> {
                    Object v = reader.apply(r);
                    return v instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : (Instant) v;
                });
            } else {
                builder.string(name, r -> {
                    Object v = reader.apply(r);
                    return v == null ? null : compact(v);
                });
            }
        }
    }

    /**
     * A value as one short cell, never a record's {@code toString()}: a pipeline's stages as their chain
     * ({@code sha256 → zstd → sha256}), other records' lists as a count ({@code 3 × TreeNode}), plain lists
     * as {@code [a, b]}, maps as {@code key=value, key=value}, enums lower-case.
     */
    static String compact(Object value) {
        if (value instanceof Optional<?> o) {
            return o.map(RecordTables::compact).orElse(null);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        if (value instanceof Collection<?> items) {
            if (!items.isEmpty() && items.stream().allMatch(i -> i instanceof PipelineStage)) {
                return items.stream().map(i -> ((PipelineStage) i).algorithm()).collect(Collectors.joining(" → "));
            }
            if (!items.isEmpty() && items.stream().allMatch(i -> i instanceof Record)) {
                java.util.Set<String> types = new java.util.TreeSet<>();
                items.forEach(i -> types.add(i.getClass().getSimpleName()));
                return items.size() + " × " + String.join("/", types);
            }
            return items.stream().map(i -> i == null ? "null" : compact(i))
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof java.util.Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + (e.getValue() == null ? "" : compact(e.getValue())))
                    .collect(Collectors.joining(", "));
        }
        if (value instanceof Record record && !(value instanceof Chart)) {
            // a record nested in a list or map: its first component names it
            RecordComponent[] components = record.getClass().getRecordComponents();
            return record.getClass().getSimpleName() + (components.length == 0 ? ""
                    : " " + compact(read(components[0], record)));
        }
        if (value instanceof Instant || value instanceof LocalDateTime || value instanceof Number) {
            return Formats.value(value, Formats.Kind.PLAIN);
        }
        return value.toString();
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
