package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.StorageException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import tech.tablesaw.io.csv.CsvWriteOptions;
import tech.tablesaw.io.csv.CsvWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a table to a file in the format its extension names. Only formats that work are offered;
 * any other extension is refused before a file is created (tablesaw's own {@code write().toFile("x.parquet")}
 * throws a NullPointerException and leaves an empty file).
 */
final class Exports {

    /** The extensions {@link #export} writes. */
    static final List<String> FORMATS = List.of("csv");

    private Exports() {
    }

    /**
     * Writes {@code table} to {@code path}: CSV with a header row, times in ISO-8601 UTC, whole numbers
     * without decimals (a runs table's bytes_processed is 849916956, not 8.49916956E8), other reals with
     * every digit that tells them apart. The file appears whole or not at all.
     *
     * @return what was written, e.g. "wrote 4,999 rows × 11 columns to /tmp/runs.csv"
     * @throws InvalidArgumentException for an extension other than .csv (nothing is created)
     * @throws StorageException when the file cannot be written
     */
    static String export(Table table, Path path) {
        String file = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String extension = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(extension)) {
            throw new InvalidArgumentException("cannot export to " + path + ": "
                    + (extension.isEmpty() ? "no extension" : "." + extension + " is not a format export writes")
                    + "; formats that work: " + String.join(", ", FORMATS.stream().map(f -> "." + f).toList())
                    + " (Parquet needs a Parquet library, which Pipescope does not bundle)");
        }
        Path target = path.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), "." + file, ".part");
            new CsvWriter().write(forCsv(table), CsvWriteOptions.builder(temporary.toFile()).usePrintFormatters(true).build());
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw new StorageException("could not export the table '" + table.name() + "' to " + target + ": " + e.getMessage(), e);
        }
        return "wrote " + Captions.count(table.rowCount()) + " rows × " + table.columnCount() + " columns to " + target;
    }

    /** The table with its real columns printed as {@link Formats#number}; the caller's columns are not changed. */
    private static Table forCsv(Table table) {
        List<Column<?>> columns = new ArrayList<>();
        for (Column<?> column : table.columns()) {
            if (column instanceof DoubleColumn || column instanceof FloatColumn) {
                Column<?> copy = column.copy();
                ((tech.tablesaw.api.NumericColumn<?>) copy).setPrintFormatter(new NumberColumnFormatter() {
                    @Override
                    public String format(double value) {
                        return Double.isNaN(value) ? "" : Formats.number(value);
                    }

                    @Override
                    public String format(float value) {
                        return Float.isNaN(value) ? "" : Formats.number(Double.parseDouble(Float.toString(value)));
                    }
                });
                columns.add(copy);
            } else {
                columns.add(column);
            }
        }
        return Table.create(table.name(), columns.toArray(new Column<?>[0]));
    }
}
