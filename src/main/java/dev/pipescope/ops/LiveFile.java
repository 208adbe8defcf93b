package dev.pipescope.ops;

import dev.pipescope.error.NotASqliteFileException;
import dev.pipescope.error.StorageException;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.Optional;

/** The live database file a restore acts on, and what can be proven about it before it is replaced. */
final class LiveFile {
    private static final int MAX_LINKS = 40;

    private LiveFile() {}

    /** What is at the database's path. */
    sealed interface State permits Missing, Database, Unprovable {}

    /** No file: a restore creates one only when asked to. */
    record Missing() implements State {}

    /** A readable SQLite database, with its schema and the identity of its inode. */
    record Database(SqliteFiles.Schema schema, Object fileKey) implements State {}

    /** A file Pipescope cannot prove is a database the user meant to replace, and why. */
    record Unprovable(String reason) implements State {}

    /**
     * The regular file a restore of {@code database} replaces: a symbolic link's final target (the link
     * itself stays), never a directory.
     *
     * @throws NotASqliteFileException when the path is a directory
     */
    static Path resolve(Path database) {
        var target = database.toAbsolutePath().normalize();
        try {
            for (int hops = 0; Files.isSymbolicLink(target); hops++) {
                if (hops == MAX_LINKS) {
                    throw new NotASqliteFileException("refused to restore over " + database + ": more than "
                            + MAX_LINKS + " symbolic links to follow");
                }
                target = target.resolveSibling(Files.readSymbolicLink(target)).toAbsolutePath().normalize();
            }
        } catch (IOException e) {
            throw new StorageException("cannot follow the symbolic link " + database + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotASqliteFileException("refused to restore over " + database + (target.equals(database) ? ""
                    : " (" + target + ")") + ": it is a directory, not a database file; name the file inside it");
        }
        return target;
    }

    /** Inspects the resolved file without writing to it. */
    static State inspect(Path target, int busyTimeoutMs) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return new Missing();
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return new Unprovable("it is not a regular file");
        }
        if (!Files.isReadable(target)) {
            return new Unprovable("this user cannot read it (permission denied), so nothing shows it is a database");
        }
        var key = fileKey(target);
        try (var connection = SqliteFiles.readOnly(target, busyTimeoutMs)) {
            return new Database(SqliteFiles.schema(connection), key.orElse(null));
        } catch (SQLException e) {
            if (SqliteErrors.isBusy(e)) {
                throw SqliteErrors.translate(e, target.toString(), "read the schema before a restore");
            }
            var code = SqliteErrors.codeOf(e).map(Enum::name).orElse("");
            if (code.startsWith("SQLITE_NOTADB")) {
                return new Unprovable("it is not a SQLite database (" + SqliteErrors.messageOf(e) + ")");
            }
            if (code.startsWith("SQLITE_CORRUPT")) {
                return new Unprovable("its schema is corrupt (" + SqliteErrors.messageOf(e) + ")");
            }
            return new Unprovable("SQLite cannot read it (" + SqliteErrors.messageOf(e) + ")");
        }
    }

    /** The identity of the inode at {@code file} (device and inode on Unix), if the file system has one. */
    static Optional<Object> fileKey(Path file) {
        try {
            return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read the attributes of " + file + ": " + e.getMessage(), e);
        }
    }
}
