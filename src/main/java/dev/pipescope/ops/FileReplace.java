package dev.pipescope.ops;

import dev.pipescope.error.InvalidBackupException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Puts a file in place where there is no live database to copy into (a restore creating a missing file, or
 * replacing a damaged one moved aside): copy beside the target, check the copy's SHA-256, remove stale
 * {@code -wal}, {@code -shm} and {@code -journal} (SQLite would replay them into the new file), rename over
 * the target. The rename is atomic. A live database is never replaced this way but copied into under its
 * lock (see {@link Restorer}), so no program that has it open can be left writing into a renamed-away file.
 */
final class FileReplace {
    private FileReplace() {}

    /** The hidden copy a replace writes beside {@code target} before renaming it in. */
    static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".restoring");
    }

    /**
     * Replaces {@code target} with a copy of {@code source}.
     *
     * @param expectedSha256 what {@code source} must hash to (lower-case hex); a copy that hashes otherwise
     *                       is deleted and refused, the target untouched
     * @throws IOException when copying or renaming fails; the temporary copy is removed, the target untouched
     * @throws InvalidBackupException when the copy does not hash to {@code expectedSha256}
     */
    static void replace(Path source, String expectedSha256, Path target, Progress progress, String phase)
            throws IOException {
        var temporary = temporaryFor(target);
        try {
            Files.deleteIfExists(temporary);
            var sha = SqliteFiles.copyAndHash(source, temporary, progress, phase);
            if (!sha.equals(expectedSha256)) {
                throw new InvalidBackupException("refused to put " + source + " in place of " + target
                        + ": its copy hashes to " + sha + ", the metadata records " + expectedSha256
                        + " (did the file change meanwhile?)", List.of("sha256"));
            }
            for (var suffix : List.of("-wal", "-shm", "-journal")) {
                Files.deleteIfExists(SqliteFiles.sibling(target, suffix));
            }
            move(temporary, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** An atomic rename that replaces {@code to}; refused where the file system cannot do it atomically. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename " + from + " to " + to + " atomically", e);
        }
    }
}
