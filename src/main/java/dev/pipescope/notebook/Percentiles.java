package dev.pipescope.notebook;

import dev.pipescope.domain.RunStats;
import dev.pipescope.error.InvalidArgumentException;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Arrays;

/**
 * The one percentile definition of every Pipescope table: <b>nearest rank</b>. The p-th percentile of
 * n values is the value at 1-based rank {@code ceil(p / 100 × n)} (at least 1) of the values sorted
 * ascending; it is always one of the values (no interpolation), as {@code stats()} computes it in SQL
 * ({@link RunStats#nearestRank}). tablesaw's own {@code percentile} interpolates, so the two differ on
 * small samples; the helpers use this one.
 *
 * <pre>{@code
 * Percentiles.of(new double[] {15, 20, 35, 40, 50}, 30);   // 20 (rank ceil(1.5) = 2)
 * percentile(runs(), "duration_ms", 95);
 * }</pre>
 */
public final class Percentiles {

    /** Column headers name the definition, so a number cannot be mistaken for another estimator's. */
    static final String NEAREST_RANK = " (nearest rank)";

    private Percentiles() {
    }

    /**
     * The p-th percentile of {@code sorted} (ascending, no NaN) by nearest rank.
     *
     * @throws InvalidArgumentException when p is outside (0, 100] or there are no values
     */
    public static double ofSorted(double[] sorted, int count, double p) {
        checkP(p);
        if (count == 0) {
            throw new InvalidArgumentException("the " + p + "th percentile of no values is undefined");
        }
        return sorted[(int) RunStats.nearestRank(p, count) - 1];
    }

    /** The p-th percentile of {@code values} (any order; NaN are left out) by nearest rank. */
    public static double of(double[] values, double p) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return ofSorted(sorted, sorted.length, p);
    }

    /**
     * The p-th percentile (nearest rank) of a numeric column's values, missing values left out.
     *
     * @throws InvalidArgumentException when the table has no such column, it is not numeric, it holds no
     *         value, or p is outside (0, 100]
     */
    public static double of(Table table, String column, double p) {
        checkP(p);
        if (!table.columnNames().contains(column)) {
            throw new InvalidArgumentException("table '" + table.name() + "' has no column '" + column + "' (columns: "
                    + table.columnNames() + ")");
        }
        Column<?> c = table.column(column);
        if (!(c instanceof NumericColumn<?> numbers)) {
            throw new InvalidArgumentException("column '" + column + "' of '" + table.name() + "' is "
                    + c.type().name() + ", not a number: percentile needs a numeric column");
        }
        double[] values = new double[numbers.size()];
        int n = 0;
        for (int row = 0; row < numbers.size(); row++) {
            if (!numbers.isMissing(row)) {
                values[n++] = numbers.getDouble(row);
            }
        }
        if (n == 0) {
            throw new InvalidArgumentException("column '" + column + "' of '" + table.name() + "' has no values ("
                    + table.rowCount() + " rows, all missing): no percentile");
        }
        Arrays.sort(values, 0, n);
        return ofSorted(values, n, p);
    }

    static void checkP(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new InvalidArgumentException("percentile must be above 0 and at most 100, was " + p);
        }
    }
}
