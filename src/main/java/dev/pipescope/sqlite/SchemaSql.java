package dev.pipescope.sqlite;

/** The SQL that judges a file before Pipescope uses it: its tables, their columns, its Flyway history. */
public final class SchemaSql {
    private SchemaSql() {}

    static final String TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

    static final String COLUMNS = "SELECT name FROM pragma_table_info(?)";

    static final String APPLIED_MIGRATIONS =
            "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL";

    public static final String QUERY_ONLY = "PRAGMA query_only = 1";
}
