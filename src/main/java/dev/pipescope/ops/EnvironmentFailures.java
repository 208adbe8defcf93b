package dev.pipescope.ops;

import dev.pipescope.error.EnvironmentException;
import dev.pipescope.error.StorageFullException;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Tells failures of the environment (space, file-size limits, native library) from problems of a file. */
final class EnvironmentFailures {
    private static final int SQLITE_FULL = 13;

    private EnvironmentFailures() {}

    /** The environment failure behind {@code error}, if it is one; {@code writing} says where Pipescope was writing. */
    static Optional<EnvironmentException> of(Throwable error, Path writing) {
        for (var t = error; t != null; t = t.getCause()) {
            var type = t.getClass().getSimpleName();
            if (t instanceof UnsatisfiedLinkError || type.equals("NativeLibraryNotFoundException")) {
                return Optional.of(new EnvironmentException("SQLite's native library could not be loaded (" + t.getMessage()
                        + "). Check that the temporary folder (java.io.tmpdir, or org.sqlite.tmpdir) is writable, has "
                        + "free space and that no file-size limit (ulimit -f) applies; no database file was read or "
                        + "changed", error));
            }
            var message = String.valueOf(t.getMessage());
            if (t instanceof IOException && (message.contains("No space left") || message.contains("File too large")
                    || message.contains("Disk quota exceeded"))) {
                return Optional.of(full(writing, message, error));
            }
        }
        if (SqliteErrors.codeOf(error).map(c -> c.code == SQLITE_FULL).orElse(false)) {
            return Optional.of(full(writing, SqliteErrors.messageOf(error), error));
        }
        return Optional.empty();
    }

    /** For SQLite's backup API, which reports only a result code. */
    static Optional<EnvironmentException> ofResultCode(int rc, Path writing) {
        return rc == SQLITE_FULL ? Optional.of(full(writing, "SQLITE_FULL (result code 13)", null)) : Optional.empty();
    }

    static StorageFullException full(Path writing, String detail, Throwable cause) {
        return new StorageFullException("no room to write " + writing + " (" + detail + "): the device is full, a quota "
                + "is reached or a file-size limit (ulimit -f) applies. Free space or lift the limit and retry; the "
                + "database was only read and is unchanged", cause);
    }

    /**
     * True when a SQLite file is shorter than its own header says (page size times page count): a copy cut
     * short by a full device or a file-size limit, whatever error the write itself returned.
     */
    static boolean cutShort(Path file) {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var header = ByteBuffer.allocate(100);
            while (header.hasRemaining() && channel.read(header) > 0) {
                // read the header, or what there is of it
            }
            if (header.position() < 100) {
                return true;
            }
            int pageSize = Short.toUnsignedInt(header.getShort(16));
            long pageSizeBytes = pageSize == 1 ? 65_536 : pageSize;
            long pages = Integer.toUnsignedLong(header.getInt(28));
            return Files.size(file) < pageSizeBytes * pages;
        } catch (IOException e) {
            return false; // an unreadable copy is reported by the caller's own failure
        }
    }
}
