package dev.pipescope.ops;

import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The temporary files backup and restore write, named so that a later run can tell whose they are, and
 * the tidy-up that removes those a killed or failed run left:
 * <ul>
 *   <li>{@code backups/.<backup>.db.p<pid>.partial} (and {@code .json.p<pid>.partial}): a backup or safety
 *       copy being written; removed once process {@code pid} is gone;</li>
 *   <li>{@code .<name>.restoring} beside the database: a backup being copied in; removed when no restore runs;</li>
 *   <li>{@code .<name>.restore-journal-mode} beside the database: the journal mode a restore switched away
 *       from to lock the file; the mode is put back (on the same file only) and the note removed.</li>
 * </ul>
 */
final class Leftovers {
    /** {@code .<final name>.p<pid>.partial}: the process id tells a live writer's file from a killed one's. */
    private static final Pattern PARTIAL = Pattern.compile("\\.(.+?)(?:\\.p(\\d+))?\\.partial(-journal)?");

    private Leftovers() {}

    /** The hidden file a backup (or its metadata) is written to before it is renamed to {@code finalFile}. */
    static Path partialOf(Path finalFile) {
        return finalFile.resolveSibling("." + finalFile.getFileName() + ".p" + ProcessHandle.current().pid() + ".partial");
    }

    static Path journalModeNoteOf(Path database) {
        return database.resolveSibling("." + database.getFileName() + ".restore-journal-mode");
    }

    /** Notes, before switching it, the journal mode of the file whose inode is {@code fileKey}. */
    static void noteJournalMode(Path database, String mode, Object fileKey) {
        var note = journalModeNoteOf(database);
        try {
            Files.writeString(note, mode + "\n" + fileKey + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot write " + note + " (which lets an interrupted restore be undone): "
                    + e.getMessage(), e);
        }
    }

    static void forgetJournalMode(Path database) {
        try {
            Files.deleteIfExists(journalModeNoteOf(database));
        } catch (IOException e) {
            throw new StorageException("cannot delete " + journalModeNoteOf(database) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes what killed or failed runs left for this database and its backups folder, and puts back a
     * journal mode an interrupted restore switched. Files of runs still in progress are left alone.
     *
     * @return one line per thing done, for the caller to show
     */
    static List<String> tidy(BackupLocation location) {
        var done = new ArrayList<String>();
        tidyBackupsFolder(location, done);
        if (Files.isDirectory(location.database())) {
            return done; // not a database: whatever was asked of it fails with its own message
        }
        var target = LiveFile.resolve(location.database());
        if (!Files.exists(FileReplace.temporaryFor(target)) && !Files.exists(journalModeNoteOf(target))) {
            return done; // nothing to recover, so no lock file is created beside a file only read
        }
        var lock = PathLock.tryAcquire(target);
        if (lock.isEmpty()) {
            return done; // a restore runs: its files are not leftovers
        }
        try (var held = lock.get()) {
            done.addAll(recoverLocked(target));
        }
        return done;
    }

    /** The part of {@link #tidy} beside the database; the caller holds its {@link PathLock}. */
    static List<String> recoverLocked(Path target) {
        var done = new ArrayList<String>();
        var temporary = FileReplace.temporaryFor(target);
        delete(temporary, "an interrupted restore's copy", done);
        var note = journalModeNoteOf(target);
        if (Files.exists(note)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(note, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new StorageException("cannot read " + note + ": " + e.getMessage(), e);
            }
            var mode = lines.isEmpty() ? "" : lines.get(0).strip();
            var key = lines.size() < 2 ? "" : lines.get(1).strip();
            boolean sameFile = LiveFile.fileKey(target).map(k -> Objects.equals(k.toString(), key)).orElse(false);
            if (sameFile && mode.matches("[a-z]+")) {
                try (var connection = SqliteFiles.readWrite(target, 2_000); var st = connection.createStatement();
                     var rs = st.executeQuery("PRAGMA journal_mode = " + mode)) {
                    rs.next();
                    if (!mode.equalsIgnoreCase(rs.getString(1))) {
                        done.add("could not put " + target + " back in journal mode " + mode + " (it is in use); "
                                + "will retry on the next run");
                        return done;
                    }
                    if (mode.equalsIgnoreCase("wal")) {
                        // in WAL mode SQLite never reads a rollback journal again, and getting there rolled back
                        // any hot one first: whatever -journal remains is the interrupted restore's
                        dropJournal(target);
                    } else {
                        dropStaleJournal(target);
                    }
                    done.add("put " + target + " back in journal mode " + mode + " after an interrupted restore");
                } catch (SQLException e) {
                    done.add("could not put " + target + " back in journal mode " + mode + ": " + e.getMessage()
                            + "; will retry on the next run");
                    return done;
                }
            }
            delete(note, "an interrupted restore's note", done);
        }
        return done;
    }

    /**
     * Removes a rollback journal SQLite kept but emptied (in exclusive locking mode it zeroes the header
     * instead of deleting the file). Only called while nothing can be writing with a rollback journal: under
     * SQLite's exclusive lock, or with the file in WAL mode. A journal with content is hot and left to SQLite.
     */
    static void dropStaleJournal(Path target) {
        var journal = SqliteFiles.sibling(target, "-journal");
        try (var channel = java.nio.channels.FileChannel.open(journal, java.nio.file.StandardOpenOption.READ)) {
            var header = java.nio.ByteBuffer.allocate(28);
            while (header.hasRemaining() && channel.read(header) > 0) {
                // read the whole header, or what there is of it
            }
            for (int i = 0; i < header.position(); i++) {
                if (header.get(i) != 0) {
                    return;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new StorageException("cannot read " + journal + ": " + e.getMessage(), e);
        }
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            throw new StorageException("cannot delete the emptied journal " + journal + ": " + e.getMessage(), e);
        }
    }

    /** Removes the rollback journal of a file now in WAL mode (see {@link #recoverLocked}). */
    private static void dropJournal(Path target) {
        var journal = SqliteFiles.sibling(target, "-journal");
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            throw new StorageException("cannot delete the rollback journal " + journal + " of a file in WAL mode: "
                    + e.getMessage(), e);
        }
    }

        private static void tidyBackupsFolder(BackupLocation location, List<String> done) {
        var directory = location.directory();
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            return;
        }
        var backups = location.backupNames();
        for (var file : files(directory)) {
            var owner = partialOwner(location, file);
            if (owner.isPresent() && !owner.get().alive()) {
                delete(file, "a killed backup's partial file", done);
            }
        }
        for (var file : files(directory)) {
            var name = file.getFileName().toString();
            if (!name.endsWith(".json")) {
                continue;
            }
            var backup = file.resolveSibling(name.substring(0, name.length() - 5) + ".db");
            if (backups.matcher(backup.getFileName().toString()).matches() && !Files.exists(backup)
                    && !beingWritten(location, backup)) {
                delete(file, "the metadata of a backup killed before its last rename", done);
            }
        }
    }

    /** True while a live process still writes the partial file of {@code backup}. */
    private static boolean beingWritten(BackupLocation location, Path backup) {
        var prefix = "." + backup.getFileName() + ".";
        return files(backup.getParent()).stream()
                .filter(f -> f.getFileName().toString().startsWith(prefix))
                .anyMatch(f -> partialOwner(location, f).map(PartialOwner::alive).orElse(false));
    }

    /** Who is writing a partial file of this database's backups, when {@code file} is one. */
    private static Optional<PartialOwner> partialOwner(BackupLocation location, Path file) {
        var m = PARTIAL.matcher(file.getFileName().toString());
        if (!m.matches() || !m.group(1).startsWith(location.stem() + "-")) {
            return Optional.empty();
        }
        return Optional.of(new PartialOwner(Optional.ofNullable(m.group(2)).map(Long::parseLong)));
    }

    /** A partial file's writer: a process id, or none for files of Pipescope versions that did not name one. */
    private record PartialOwner(Optional<Long> pid) {
        boolean alive() {
            return pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /**
     * Files in the backups folder and beside the database that belong to this database but are neither a
     * backup, a backup's metadata, the restore lock, nor the temporary file of a run in progress.
     */
    static List<Path> unexplained(BackupLocation location) {
        var found = new ArrayList<Path>();
        var directory = location.directory();
        if (Files.isDirectory(directory)) {
            var backups = location.backupNames();
            for (var file : files(directory)) {
                var name = file.getFileName().toString();
                if (!name.startsWith(location.stem() + "-") && !name.startsWith("." + location.stem() + "-")) {
                    continue;
                }
                boolean backup = backups.matcher(name).matches();
                boolean metadata = name.endsWith(".json")
                        && Files.exists(file.resolveSibling(name.substring(0, name.length() - 5) + ".db"));
                boolean running = partialOwner(location, file).map(PartialOwner::alive).orElse(false);
                if (!backup && !metadata && !running) {
                    found.add(file);
                }
            }
        }
        if (Files.isDirectory(location.database())) {
            return found;
        }
        var target = LiveFile.resolve(location.database());
        for (var file : List.of(FileReplace.temporaryFor(target), journalModeNoteOf(target))) {
            if (Files.exists(file)) {
                found.add(file);
            }
        }
        return found;
    }

    private static List<Path> files(Path directory) {
        try (var files = Files.list(directory)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file, String what, List<String> done) {
        try {
            if (Files.deleteIfExists(file)) {
                done.add("removed " + file + " (" + what + ")");
            }
        } catch (IOException e) {
            throw new StorageException("cannot remove " + file + " (" + what + "): " + e.getMessage(), e);
        }
    }
}
