package dev.pipescope.postgres;

/** The SQL of the PostgreSQL engine itself: transaction modes, and judging a database before Pipescope uses it. */
public final class PostgresSql {
    private PostgresSql() {}

    /**
     * Starts a read: one snapshot (REPEATABLE READ), read-only. The {@code SELECT 1} takes the snapshot at
     * once, and after the first query PostgreSQL refuses {@code SET TRANSACTION READ WRITE}: no SQL run inside
     * a read can turn it into a write. One round trip with the driver's implicit BEGIN.
     */
    static final String BEGIN_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT 1";

    /**
     * Starts a write: SERIALIZABLE, so concurrent writers behave as if one ran after the other (as SQLite's
     * single writer does, which the rules above were written for); a conflict is retried as a whole.
     */
    static final String BEGIN_WRITE = "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";

    /** The server's version as a number, e.g. {@code 150013} for 15.13. */
    static final String SERVER_VERSION = "SELECT current_setting('server_version_num')";

    /** Tables (plain and partitioned) of the current schema with their columns, in column order. */
    static final String TABLES_AND_COLUMNS = """
            SELECT c.relname, a.attname FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum""";

    static final String APPLIED_MIGRATIONS =
            "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL";
}
