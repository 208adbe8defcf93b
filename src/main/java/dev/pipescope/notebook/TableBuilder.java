package dev.pipescope.notebook;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Builds a table from a list of values with one declared column type per column, so 64-bit counts
 * stay longs and REALs stay doubles whatever the first row holds.
 */
final class TableBuilder<T> {

    private final String name;
    private final List<Column<?>> columns = new ArrayList<>();
    private final List<Filler<T>> fillers = new ArrayList<>();

    private interface Filler<T> {
        void add(T row);
    }

    TableBuilder(String name) {
        this.name = name;
    }

    TableBuilder<T> string(String column, Function<T, String> value) {
        StringColumn c = StringColumn.create(column);
        columns.add(c);
        fillers.add(row -> {
            String v = value.apply(row);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(v);
            }
        });
        return this;
    }

    TableBuilder<T> longs(String column, Function<T, Long> value) {
        LongColumn c = LongColumn.create(column);
        columns.add(c);
        fillers.add(row -> {
            Long v = value.apply(row);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(v);
            }
        });
        return this;
    }

    TableBuilder<T> ints(String column, Function<T, Integer> value) {
        IntColumn c = IntColumn.create(column);
        columns.add(c);
        fillers.add(row -> {
            Integer v = value.apply(row);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(v);
            }
        });
        return this;
    }

    TableBuilder<T> doubles(String column, Function<T, Double> value) {
        DoubleColumn c = DoubleColumn.create(column);
        columns.add(c);
        fillers.add(row -> {
            Double v = value.apply(row);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(v);
            }
        });
        return this;
    }

    TableBuilder<T> bool(String column, Function<T, Boolean> value) {
        BooleanColumn c = BooleanColumn.create(column);
        columns.add(c);
        fillers.add(row -> {
            Boolean v = value.apply(row);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(v);
            }
        });
        return this;
    }

    TableBuilder<T> instant(String column, Function<T, Instant> value) {
        InstantColumn c = InstantColumn.create(column);
        columns.add(c);
        fillers.add(row -> {
            Instant v = value.apply(row);
            if (v == null) {
                c.appendMissing();
            } else {
                c.append(v);
            }
        });
        return this;
    }

    Table build(Iterable<? extends T> rows) {
        for (T row : rows) {
            for (Filler<T> filler : fillers) {
                filler.add(row);
            }
        }
        return Table.create(name, columns.toArray(new Column<?>[0]));
    }
}
