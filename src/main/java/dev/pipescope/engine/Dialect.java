package dev.pipescope.engine;

/**
 * The SQL dialect of a database engine. A source's statements that must differ between engines come in
 * one variant per dialect (a record of statements in the source's {@code *Sql} class); every other
 * statement is written once, in SQL both engines run.
 */
public enum Dialect {
    /** SQLite files and {@code :memory:} (sqlite-jdbc). */
    SQLITE,
    /** A PostgreSQL server, 12 or newer (pgjdbc). */
    POSTGRESQL
}
