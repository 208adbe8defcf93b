package dev.pipescope.ops;


/**
 * SQL of backup, verify and health. PRAGMAs are read through their table-valued forms so they can be
 * prepared (and checked by {@code SqlCatalogTest}) like any other query.
 */
public final class OpsSql {
    private OpsSql() {}

    /** The file's own tables, without SQLite's internal ones. */
    public static final String TABLE_NAMES = """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            ORDER BY name
            """;

    /** Starts a read transaction's snapshot (any read would do; this one touches only the schema). */
    public static final String START_SNAPSHOT = "SELECT count(*) FROM sqlite_master";

    public static final String PAGE_COUNT = "SELECT page_count FROM pragma_page_count";

    public static final String FREE_PAGES = "SELECT freelist_count FROM pragma_freelist_count";

    public static final String PAGE_SIZE = "SELECT page_size FROM pragma_page_size";

    public static final String JOURNAL_MODE = "SELECT journal_mode FROM pragma_journal_mode";

    public static final String BUSY_TIMEOUT = "SELECT timeout FROM pragma_busy_timeout";

    /** Fast structural check: every row is one problem, or a single 'ok'. */
    public static final String QUICK_CHECK = "SELECT quick_check FROM pragma_quick_check";

    /** Full check (indexes against tables too): every row is one problem, or a single 'ok'. */
    public static final String INTEGRITY_CHECK = "SELECT integrity_check FROM pragma_integrity_check";
}
