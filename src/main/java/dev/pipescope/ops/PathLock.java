package dev.pipescope.ops;

import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the operations that replace or tidy one database file, by its path rather than its inode
 * (a restore renames a new inode in, so SQLite's own locks cannot order two restores). Held as a lock on
 * a hidden file beside the database, {@code .<name>.pipescope-lock}, which other processes see, plus an
 * in-process lock (a JVM holds a file lock once, not once per thread). The lock file is kept: deleting
 * it would let a waiter lock a file nobody else can find.
 */
final class PathLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private PathLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code database} (a resolved, absolute path). */
    static Path fileOf(Path database) {
        return database.resolveSibling("." + database.getFileName() + ".pipescope-lock");
    }

    /** Waits until no other restore or tidy-up of {@code database} runs, then holds the lock. */
    static PathLock acquire(Path database) {
        var local = IN_PROCESS.computeIfAbsent(database, p -> new ReentrantLock());
        local.lock();
        return lockFile(database, local, true).orElseThrow();
    }

    /** The lock when nothing else holds it right now; empty otherwise. */
    static Optional<PathLock> tryAcquire(Path database) {
        var local = IN_PROCESS.computeIfAbsent(database, p -> new ReentrantLock());
        if (!local.tryLock()) {
            return Optional.empty();
        }
        return lockFile(database, local, false);
    }

    private static Optional<PathLock> lockFile(Path database, ReentrantLock local, boolean wait) {
        var file = fileOf(database);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            var lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                channel.close();
                local.unlock();
                return Optional.empty();
            }
            return Optional.of(new PathLock(local, channel, lock));
        } catch (IOException | RuntimeException e) {
            var failure = new StorageException("cannot lock " + file + " to serialise restores of " + database + ": "
                    + e.getMessage(), e);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException close) {
                    failure.addSuppressed(close);
                }
            }
            local.unlock();
            throw failure;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StorageException("cannot release the restore lock " + channel + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }
}
