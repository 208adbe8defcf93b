package dev.pipescope.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Where one database's backups live and how their files are named: {@code <stem>-<UTC time>.db} and
 * {@code .json} in {@code directory}.
 *
 * @param database the live database file (absolute, as the caller named it: a symbolic link stays a link)
 * @param directory the backups folder (absolute)
 * @param clock the time backups are stamped with and ages are measured by
 */
record BackupLocation(Path database, Path directory, Clock clock) {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    BackupLocation {
        database = database.toAbsolutePath().normalize();
        directory = directory.toAbsolutePath().normalize();
    }

    /** The database's file name without its extension: what every backup's name starts with. */
    String stem() {
        var name = database.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The names of finished backups of this database. */
    Pattern backupNames() {
        return Pattern.compile(Pattern.quote(stem()) + "-\\d{8}T\\d{9}Z(-\\d+)?\\.db");
    }

    /** A backup file name for a copy taken at {@code createdAt} that no backup in the folder uses yet. */
    Path freeName(Instant createdAt) {
        var base = stem() + "-" + STAMP.format(createdAt);
        var candidate = directory.resolve(base + ".db");
        for (int n = 2; Files.exists(candidate) || Files.exists(Backup.metadataFileOf(candidate)); n++) {
            candidate = directory.resolve(base + "-" + n + ".db");
        }
        return candidate;
    }
}
