package dev.pipescope.ops;

import dev.pipescope.domain.Layout;
import dev.pipescope.error.PipescopeException;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.PipescopeDatabase;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes {@code Health.check(db)}. Thresholds: more than {@value #FREE_PAGE_PERCENT}% free pages (over
 * {@value #MIN_PAGES_FOR_FREE_RULE} pages), a WAL larger than the database and over 64 MiB, a busy timeout of 0,
 * no backup or one older than {@link #BACKUP_MAX_AGE}, or pending migrations make a database degraded;
 * a failed connection or quick_check makes it unhealthy.
 */
public final class Health {
    static final int FREE_PAGE_PERCENT = 25;
    static final int MIN_PAGES_FOR_FREE_RULE = 256;
    static final long LARGE_WAL_BYTES = 64L << 20;
    public static final Duration BACKUP_MAX_AGE = Duration.ofDays(7);

    private Health() {}

    private record Reading(Set<Layout> layouts, Optional<Integer> version, String quickCheck, long pages, long free,
                           long pageSize, String journalMode, int busyTimeout, Map<String, Long> rowCounts) {}

    /**
     * The health of an open database: connectivity, schema, integrity, sizes, last backup and row counts,
     * with a verdict and its reasons.
     *
     * <pre>{@code
     * HealthReport report = Health.check(db);   // report.status(): HEALTHY, DEGRADED or UNHEALTHY
     * }</pre>
     */
    public static HealthReport check(PipescopeDatabase db) {
        return check(db, Clock.systemUTC());
    }

    /**
     * {@code PRAGMA quick_check} of a database file, read-only: {@code ["ok"]} or one line per problem.
     *
     * <pre>{@code
     * boolean intact = Health.quickCheck(path).equals(List.of("ok"));
     * }</pre>
     *
     * @throws dev.pipescope.error.NotASqliteFileException when the file is not a readable SQLite database
     */
    public static List<String> quickCheck(java.nio.file.Path file) {
        try (var connection = SqliteFiles.readOnly(file, 5_000)) {
            return quickCheck(connection);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file.toString(), "run quick_check");
        }
    }

    /** quick_check on an open connection; damage so bad that the check itself stops is one problem line. */
    static List<String> quickCheck(java.sql.Connection connection) throws SQLException {
        try {
            return SqliteFiles.column(connection, OpsSql.QUICK_CHECK);
        } catch (SQLException e) {
            if (!isCorrupt(e)) {
                throw e;
            }
            return List.of("quick_check could not finish: " + SqliteErrors.messageOf(e));
        }
    }

    static boolean isCorrupt(SQLException e) {
        return SqliteErrors.codeOf(e).map(c -> c.name().startsWith("SQLITE_CORRUPT")).orElse(false);
    }

    /** {@link #check(PipescopeDatabase)} at the time of {@code clock} (backup age). */
    public static HealthReport check(PipescopeDatabase db, Clock clock) {
        var reasons = new ArrayList<String>();
        var notes = new ArrayList<String>();
        var unhealthy = new ArrayList<String>();
        var name = db.path().map(Object::toString).orElse(":memory: (SQLite)");
        int latest = Migrations.latestVersion();
        Reading reading;
        try {
            reading = db.connections().readConnection("check health", connection -> {
                var schema = SqliteFiles.schema(connection);
                var quick = SqliteFiles.column(connection, OpsSql.QUICK_CHECK);
                return new Reading(schema.layouts(), schema.version(), String.join("; ", quick),
                        SqliteFiles.number(connection, OpsSql.PAGE_COUNT),
                        SqliteFiles.number(connection, OpsSql.FREE_PAGES),
                        SqliteFiles.number(connection, OpsSql.PAGE_SIZE),
                        SqliteFiles.column(connection, OpsSql.JOURNAL_MODE).get(0),
                        (int) SqliteFiles.number(connection, OpsSql.BUSY_TIMEOUT),
                        SqliteFiles.rowCounts(connection));
            });
        } catch (PipescopeException e) {
            return new HealthReport(name, HealthStatus.UNHEALTHY, List.of("cannot read the database: " + e.getMessage()),
                    List.of(), false, db.layouts(), Optional.empty(), latest, List.of(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Map.of(), clock.instant());
        }
        if (!reading.quickCheck().equals("ok")) {
            unhealthy.add("quick_check found problems: " + reading.quickCheck());
        }
        var pending = new ArrayList<Integer>();
        if (reading.layouts().contains(Layout.PIPESCOPE)) {
            int applied = reading.version().orElse(0);
            Migrations.knownVersions().stream().filter(v -> v > applied).forEach(pending::add);
            if (!pending.isEmpty()) {
                reasons.add("migrations " + pending + " are pending; open the database read-write or run "
                        + "'pipescope migrate'");
            }
        }
        if (reading.pages() > MIN_PAGES_FOR_FREE_RULE && reading.free() * 100 > reading.pages() * FREE_PAGE_PERCENT) {
            reasons.add(reading.free() + " of " + reading.pages() + " pages are free; VACUUM would reclaim "
                    + HealthReport.bytes(reading.free() * reading.pageSize()));
        }
        if (reading.busyTimeout() == 0) {
            reasons.add("busy timeout is 0: a connection fails at once when another holds the lock");
        }
        Optional<Long> size = Optional.empty();
        Optional<Long> wal = Optional.empty();
        Optional<Duration> backupAge = Optional.empty();
        if (db.path().isPresent()) {
            var path = db.path().get();
            try {
                size = Optional.of(SqliteFiles.sizeOrZero(path));
                wal = Optional.of(SqliteFiles.sizeOrZero(SqliteFiles.sibling(path, "-wal")));
            } catch (IOException e) {
                unhealthy.add("cannot read the size of " + path + ": " + e.getMessage());
            }
            if (wal.isPresent() && size.isPresent() && wal.get() > LARGE_WAL_BYTES && wal.get() > size.get()) {
                reasons.add("the WAL (" + HealthReport.bytes(wal.get()) + ") is larger than the database; a long "
                        + "reader may be preventing checkpoints");
            }
            var backups = Backups.forFile(path);
            var latestBackup = backups.latest();
            // a backup policy belongs to the files Pipescope manages; another tool's file is that tool's to back up
            var backupFindings = reading.layouts().contains(Layout.PIPESCOPE) ? reasons : notes;
            var whose = reading.layouts().contains(Layout.PIPESCOPE) ? ""
                    : " (another tool's file: Pipescope does not judge its backups; `pipescope backup` takes one)";
            if (latestBackup.isEmpty()) {
                backupFindings.add("no backup in " + backups.directory() + whose);
            } else {
                backupAge = Optional.of(Duration.between(latestBackup.get().createdAt(), clock.instant()));
                if (backupAge.get().compareTo(BACKUP_MAX_AGE) > 0) {
                    backupFindings.add("the newest backup is " + HealthReport.age(backupAge.get()) + ", older than "
                            + BACKUP_MAX_AGE.toDays() + " days" + whose);
                }
            }
        }
        var status = !unhealthy.isEmpty() ? HealthStatus.UNHEALTHY
                : reasons.isEmpty() ? HealthStatus.HEALTHY : HealthStatus.DEGRADED;
        var all = new ArrayList<>(unhealthy);
        all.addAll(reasons);
        return new HealthReport(name, status, all, notes, true, reading.layouts(), reading.version(), latest, pending,
                Optional.of(reading.quickCheck()), size, wal, Optional.of(reading.pages()), Optional.of(reading.free()),
                Optional.of(reading.pageSize()), Optional.of(reading.journalMode()), Optional.of(reading.busyTimeout()),
                backupAge, reading.rowCounts(), clock.instant());
    }
}
