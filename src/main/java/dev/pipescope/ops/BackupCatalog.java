package dev.pipescope.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The backups in one folder: listing, finding by name, retention. */
final class BackupCatalog {
    private static final Pattern STAMP_IN_NAME = Pattern.compile("-(\\d{8}T\\d{9}Z)(-\\d+)?\\.db$");

    private final BackupLocation location;
    private final ObjectMapper mapper = new ObjectMapper();

    BackupCatalog(BackupLocation location) {
        this.location = location;
    }

    /** See {@link Backups#list()}. */
    List<Backup> list() {
        var directory = location.directory();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        var pattern = location.backupNames();
        var found = new ArrayList<Backup>();
        try (var files = Files.list(directory)) {
            for (var file : (Iterable<Path>) files::iterator) {
                if (pattern.matcher(file.getFileName().toString()).matches()) {
                    found.add(read(file));
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the backups folder " + directory + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Backup::createdAt).thenComparing(Backup::name).reversed());
        return found;
    }

    /** See {@link Backups#find(String)}. */
    Optional<Backup> find(String nameOrPath) {
        var inFolder = location.directory().resolve(nameOrPath);
        if (Files.isRegularFile(inFolder)) {
            return Optional.of(read(inFolder));
        }
        var asPath = Path.of(nameOrPath);
        if (Files.isRegularFile(asPath)) {
            return Optional.of(read(asPath));
        }
        return Optional.empty();
    }

    /** See {@link Backups#get(String)}. */
    Backup get(String nameOrPath) {
        return find(nameOrPath).orElseThrow(() -> new NotFoundException("no backup '" + nameOrPath + "' in "
                + location.directory() + " nor at " + Path.of(nameOrPath).toAbsolutePath()));
    }

    /** See {@link Backups#read(Path)}. */
    Backup read(Path file) {
        var absolute = file.toAbsolutePath().normalize();
        var metadataFile = Backup.metadataFileOf(absolute);
        Optional<BackupMetadata> metadata = Optional.empty();
        Optional<String> problem = Optional.empty();
        if (!Files.exists(metadataFile)) {
            problem = Optional.of("metadata file " + metadataFile + " is missing");
        } else {
            try {
                metadata = Optional.of(BackupMetadata.fromJson(mapper.readTree(metadataFile.toFile())));
            } catch (IOException | IllegalArgumentException e) {
                problem = Optional.of("metadata file " + metadataFile + " is unreadable: " + e.getMessage());
            }
        }
        var createdAt = metadata.map(BackupMetadata::createdAt)
                .orElseGet(() -> timeInName(absolute).orElseGet(() -> modified(absolute)));
        return new Backup(absolute, metadata, problem, createdAt);
    }

    /** Backups are named after the moment they were taken, which outlives a lost metadata file. */
    private static Optional<Instant> timeInName(Path file) {
        var m = STAMP_IN_NAME.matcher(file.getFileName().toString());
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(BackupLocation.STAMP.parse(m.group(1))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : Instant.EPOCH;
        } catch (IOException e) {
            throw new StorageException("cannot read the time of " + file + ": " + e.getMessage(), e);
        }
    }

    /** See {@link Backups#expired(RetentionPolicy)}. */
    List<Backup> expired(RetentionPolicy policy) {
        var all = list();
        var now = location.clock().instant();
        var expired = new ArrayList<Backup>();
        for (int rank = 0; rank < all.size(); rank++) {
            var backup = all.get(rank);
            final int position = rank;
            boolean keptByCount = policy.keepLast().map(n -> position < n).orElse(false);
            boolean keptByAge = policy.keepNewerThan().map(age -> backup.createdAt().isAfter(now.minus(age)))
                    .orElse(false);
            if (!keptByCount && !keptByAge) {
                expired.add(backup);
            }
        }
        return expired;
    }

    /** See {@link Backups#prune(RetentionPolicy)}. */
    List<Backup> prune(RetentionPolicy policy) {
        var expired = expired(policy);
        for (var backup : expired) {
            delete(backup);
        }
        return expired;
    }

    /** Deletes a backup's file and metadata. */
    static void delete(Backup backup) {
        try {
            Files.deleteIfExists(backup.metadataFile());
            Files.deleteIfExists(backup.file());
        } catch (IOException e) {
            throw new StorageException("cannot delete backup " + backup.file() + ": " + e.getMessage(), e);
        }
    }
}
