package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.selection.Selection;

/**
 * Sorting that puts missing values last whichever way it sorts. tablesaw's {@code sortDescendingOn}
 * puts them first, so "the slowest run" would be one with no duration (still running, or a source that
 * records none). In plain tablesaw:
 * <pre>{@code
 * var d = runs.longColumn("duration_ms");
 * runs.where(d.isNotMissing()).sortDescendingOn("duration_ms").append(runs.where(d.isMissing()));
 * }</pre>
 */
final class Rankings {

    private Rankings() {
    }

    /** {@code table} sorted on {@code column}, rows missing it last (in their original order). */
    static Table sorted(Table table, String column, boolean descending) {
        RunGroups.require(table, column);
        Column<?> c = table.column(column);
        Selection missing = c.isMissing();
        Table present = table.dropWhere(missing);
        Table ordered = descending ? present.sortDescendingOn(column) : present.sortAscendingOn(column);
        return ordered.append(table.where(missing)).setName(table.name());
    }

    /** The first {@code n} rows of {@link #sorted}; the title says what it ranked by and how many rows had no value. */
    static Table top(Table table, String column, int n, boolean descending) {
        if (n < 1) {
            throw new InvalidArgumentException("a ranking needs at least 1 row, was " + n);
        }
        RunGroups.require(table, column);
        int missing = table.column(column).countMissing();
        Table ranked = sorted(table, column, descending).first(n);
        return ranked.setName((descending ? "highest " : "lowest ") + column + ": " + ranked.rowCount() + " of "
                + Captions.count(table.rowCount()) + " rows of " + table.name()
                + (missing == 0 ? "" : " (" + Captions.count(missing) + " without a value last)"));
    }
}
