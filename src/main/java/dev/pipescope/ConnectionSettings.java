package dev.pipescope;

import java.time.ZoneId;

/**
 * How Pipescope opens SQLite connections. The defaults suit SQLite with one writer and concurrent readers:
 * <ul>
 *   <li>{@code journal_mode=WAL}: readers never block the writer and see a consistent snapshot;</li>
 *   <li>{@code foreign_keys=ON}: the upstream schema's {@code ON DELETE CASCADE} takes effect;</li>
 *   <li>{@code busy_timeout}: wait this long for another process's lock before failing;</li>
 *   <li>{@code synchronous=NORMAL}: durable at every checkpoint, and in WAL mode a crash never corrupts;</li>
 *   <li>a 256 MiB page cache for the writer (bulk inserts measured ~1.6x faster than the default);
 *       readers keep SQLite's default 2 MB and temporary files: a reader's cache size also sizes
 *       SQLite's sorter, and a GROUP BY over a million runs took 1.7x as long with 64 MiB (one huge
 *       in-memory sort instead of sorted runs merged), while scans and lookups gained nothing;</li>
 *   <li>read-only: SQLite's read-only open mode plus {@code query_only}, and no journal-mode change.</li>
 * </ul>
 *
 * <p>A database on a PostgreSQL server takes {@code readOnly} (every pooled connection read-only, nothing
 * migrated) and {@code naiveTimeZone} from these settings; its pool size and timeouts come from its
 * {@link ServerTarget}, and the SQLite page caches, busy timeout and reader count do not apply.
 *
 * @param readOnly open with {@code SQLITE_OPEN_READONLY} and {@code query_only}; never migrate
 * @param busyTimeoutMs SQLite busy timeout in milliseconds
 * @param maxReaders size of the reader pool
 * @param writerCacheKib page cache of the writer, KiB
 * @param readerCacheKib page cache of each reader, KiB
 * @param naiveTimeZone the zone of timestamps a tool writes without one (etl-core writes its writer's
 *                      local time, e.g. {@code 2026-11-29 09:54:16.120099}); default: this machine's zone,
 *                      right when the file was written here. Set it for a file written elsewhere:
 *                      {@code ConnectionSettings.readOnlyDefaults().withNaiveTimeZone(ZoneId.of("Europe/Berlin"))}
 */
public record ConnectionSettings(boolean readOnly, int busyTimeoutMs, int maxReaders, int writerCacheKib,
                                 int readerCacheKib, ZoneId naiveTimeZone) {
    public ConnectionSettings {
        if (naiveTimeZone == null) {
            throw new dev.pipescope.error.InvalidArgumentException("the zone of naive timestamps is null");
        }
    }

    /** SQLite's own default page cache (cache_size=-2000). */
    static final int READER_CACHE_KIB = 2_000;

    public static ConnectionSettings readWrite() {
        return new ConnectionSettings(false, 5_000, 4, 262_144, READER_CACHE_KIB, ZoneId.systemDefault());
    }

    public static ConnectionSettings readOnlyDefaults() {
        return new ConnectionSettings(true, 5_000, 4, READER_CACHE_KIB, READER_CACHE_KIB, ZoneId.systemDefault());
    }

    /** These settings with another busy timeout. */
    public ConnectionSettings withBusyTimeoutMs(int millis) {
        return new ConnectionSettings(readOnly, millis, maxReaders, writerCacheKib, readerCacheKib, naiveTimeZone);
    }

    /** These settings with another zone for timestamps written without one. */
    public ConnectionSettings withNaiveTimeZone(ZoneId zone) {
        return new ConnectionSettings(readOnly, busyTimeoutMs, maxReaders, writerCacheKib, readerCacheKib, zone);
    }
}
