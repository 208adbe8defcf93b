package dev.pipescope.sqlite;

import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Judges a file before SQLite touches it: that it is a SQLite file, whole, readable, and how it can be
 * opened (SQLite's {@code immutable} open for a WAL file on read-only media without its log).
 */
public final class SqliteFileCheck {
    private SqliteFileCheck() {}

    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * The database size the header declares (page count times page size), or 0 when the header says
     * the count is not to be trusted (written by an old SQLite; "version-valid-for" differs from the
     * change counter).
     */
    private static long declaredSize(byte[] header) {
        var bytes = java.nio.ByteBuffer.wrap(header);
        int pageSize = Short.toUnsignedInt(bytes.getShort(16));
        long pages = Integer.toUnsignedLong(bytes.getInt(28));
        boolean valid = bytes.getInt(24) == bytes.getInt(92);
        return valid ? pages * (pageSize == 1 ? 65_536 : pageSize) : 0;
    }

    private static boolean hasContent(Path path) {
        try {
            return Files.isRegularFile(path) && Files.size(path) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Checks the file before SQLite touches it. @return whether it exists with content */
    public static boolean checkFile(Path path, boolean readOnly) {
        var file = path.toString();
        if (Files.isDirectory(path)) {
            throw new NotASqliteFileException(file + " is a directory, not a SQLite database file");
        }
        if (!Files.exists(path)) {
            if (readOnly) {
                throw new NotFoundException("no database file at " + file);
            }
            var parent = path.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new NotFoundException("cannot create " + file + ": directory " + parent + " does not exist");
            }
            return false;
        }
        if (!Files.isReadable(path)) {
            throw new StorageException("cannot read " + file + ": permission denied");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new StorageException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            if (readOnly) {
                throw new NotASqliteFileException(file + " is empty (0 bytes), not a SQLite database");
            }
            return false;
        }
        byte[] header = new byte[100];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (read < HEADER.length || !Arrays.equals(header, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            var shown = new String(header, 0, Math.min(read, HEADER.length), StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            throw new NotASqliteFileException(file + " is not a SQLite database: its first bytes are '" + shown
                    + "', not 'SQLite format 3'");
        }
        if (size < 100) {
            throw new NotASqliteFileException(file + " is truncated: " + size
                    + " bytes, shorter than a SQLite header");
        }
        long declared = declaredSize(header);
        // with a write-ahead log a checkpoint may have been cut short; SQLite repairs that from the log
        if (declared > size && !hasContent(Path.of(file + "-wal"))) {
            throw new NotASqliteFileException(file + " is truncated: its header declares " + declared
                    + " bytes, the file has " + size);
        }
        return true;
    }

    /**
     * A WAL-mode file in a directory SQLite cannot write (a copied or mounted file, read-only media) cannot
     * be opened the usual way: reading it means creating its {@code -shm} index beside it. With no log
     * beside it every row is in the file itself, so SQLite's {@code immutable} open reads it exactly; with a
     * log whose index cannot be made, the rows in the log cannot be read, and that is an error that says so.
     */
    public static boolean onReadOnlyMediaWithoutLog(Path path) {
        var dir = path.getParent();
        if (dir == null || Files.isWritable(dir) || !walMode(path)) {
            return false;
        }
        var wal = Path.of(path + "-wal");
        var shm = Path.of(path + "-shm");
        if (!hasContent(wal)) {
            return true;
        }
        if (Files.isReadable(shm)) {
            return false;
        }
        throw new StorageException("cannot read " + path + " in place: it is in WAL mode and its log " + wal
                + " holds rows that SQLite reads only through an index (" + shm + ") it would have to create, but "
                + dir + " is read-only. Copy the database and its -wal file to a writable directory and open the copy.");
    }

    /** True when the header says the file is in WAL mode (read and write versions 2). */
    private static boolean walMode(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            var header = in.readNBytes(20);
            return header.length == 20 && header[18] == 2 && header[19] == 2;
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
