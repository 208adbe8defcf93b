package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds a statement's {@code :name} parameters from notebook values: a collection or array gives one {@code ?} per element; a value JDBC cannot bind is an error naming the parameter and its type. */
final class SqlBinding {
    private SqlBinding() {
    }

    /** A statement ready to run: SQL with {@code ?} placeholders (a collection gives one per element) and the values. */
    record Bound(String jdbcSql, List<Object> values) {
    }

    /**
     * The statement with each {@code :name} replaced by {@code ?}, or by {@code ?, ?, ?} for a collection
     * or array of three, and the values to bind in order.
     *
     * @throws InvalidArgumentException for a parameter without a value, or a value that cannot be bound,
     *     naming the parameter and its type
     */
    static Bound bind(String sql, Map<String, ?> parameters) {
        StringBuilder out = new StringBuilder(sql.length());
        List<Object> values = new ArrayList<>();
        int copied = 0;
        for (SqlText.Span span : SqlText.spans(sql)) {
            if (!parameters.containsKey(span.name())) {
                throw new InvalidArgumentException("SQL parameter :" + span.name() + " has no value (given: "
                        + new java.util.TreeSet<>(parameters.keySet()) + ")");
            }
            out.append(sql, copied, span.start());
            Object value = parameters.get(span.name());
            List<?> elements = elements(value);
            if (elements == null) {
                out.append('?');
                values.add(jdbcValue(span.name(), value));
            } else {
                for (int i = 0; i < elements.size(); i++) {
                    out.append(i == 0 ? "?" : ", ?");
                    values.add(jdbcValue(span.name(), elements.get(i)));
                }
            }
            copied = span.end();
        }
        out.append(sql, copied, sql.length());
        return new Bound(out.toString(), values);
    }

    /** The elements of a collection or array (not {@code byte[]}, a BLOB); null for a single value. */
    static List<?> elements(Object value) {
        if (value instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        if (value != null && value.getClass().isArray() && !(value instanceof byte[])) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                list.add(java.lang.reflect.Array.get(value, i));
            }
            return list;
        }
        return null;
    }

    /** A value as SQLite stores it: text, integer, real, BLOB or NULL. */
    static Object jdbcValue(String name, Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte || value instanceof Double || value instanceof Float
                || value instanceof byte[]) {
            return value;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof java.util.UUID
                || value instanceof java.time.LocalDate || value instanceof java.time.LocalDateTime) {
            return value.toString();
        }
        if (value instanceof java.time.Instant instant) {
            return dev.pipescope.domain.Timestamps.format(instant);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        throw new InvalidArgumentException("SQL parameter :" + name + " is a " + value.getClass().getName()
                + ", which cannot be bound; bind text, a number, a boolean, byte[], an Instant, a LocalDate(Time), "
                + "an enum, or a collection or array of them (for IN (:" + name + "))");
    }
}
