package dev.pipescope.notebook;

import tech.tablesaw.api.Table;

/** A table with the number of rows it renders with (first and last halves); the table itself is whole. */
public record TableView(Table table, int maxRows) {

    public String html() {
        return TableRenderer.html(table, maxRows);
    }

    public String text() {
        return TableRenderer.text(table, maxRows);
    }

    @Override
    public String toString() {
        return text();
    }
}
