package dev.pipescope.ops;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One backup: a SQLite file and, beside it, its metadata JSON ({@code <name>.json}).
 *
 * @param file the backup database file
 * @param metadata what the JSON beside it says; empty when that file is missing or unreadable
 * @param metadataProblem why the metadata could not be read, when it could not
 * @param createdAt from the metadata, or the file's modification time when there is none
 */
public record Backup(Path file, Optional<BackupMetadata> metadata, Optional<String> metadataProblem,
                     Instant createdAt) {

    /** The file name, which is how the CLI and listings name a backup. */
    public String name() {
        return file.getFileName().toString();
    }

    /** Where the metadata JSON is (or would be). */
    public Path metadataFile() {
        return metadataFileOf(file);
    }

    static Path metadataFileOf(Path backupFile) {
        var name = backupFile.getFileName().toString();
        var stem = name.endsWith(".db") ? name.substring(0, name.length() - 3) : name;
        return backupFile.resolveSibling(stem + ".json");
    }

    /** The description recorded at creation, or empty. */
    public String description() {
        return metadata.map(BackupMetadata::description).orElse("");
    }
}
