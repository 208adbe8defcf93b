package dev.pipescope.ops;

import dev.pipescope.error.StorageException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One step of backup, verify or restore run on its own daemon thread while the caller does another that
 * reads the same bytes (a SHA-256 beside a SQLite check): on large files they take as long as the slower.
 *
 * <pre>{@code
 * var check = Background.start("pipescope-integrity-check", () -> integrityCheck(file));
 * var sha = SqliteFiles.sha256(file, progress, "checksum");
 * var problems = check.join();
 * }</pre>
 */
final class Background<T> {
    private final String name;
    private final FutureTask<T> task;

    private Background(String name, FutureTask<T> task) {
        this.name = name;
        this.task = task;
    }

    /** Starts {@code work} on a new daemon thread named {@code name}. */
    static <T> Background<T> start(String name, Callable<T> work) {
        var task = new FutureTask<>(work);
        var thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(name, task);
    }

    /**
     * Waits for the work and returns its result; what it threw is thrown here as it was (an
     * {@link SQLException}, {@link IOException} or unchecked exception).
     *
     * @throws StorageException when interrupted while waiting (the interrupt stays set), or when the work
     *         threw a checked exception of another kind
     */
    T join() throws SQLException, IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            var cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StorageException(name + " failed: " + cause, cause);
        }
    }

    /**
     * Waits for the work after the caller's own step failed, so nothing still reads a file the caller is about
     * to delete; what the work threw is added to {@code failure} rather than lost.
     */
    void joinAfter(Exception failure) {
        try {
            join();
        } catch (SQLException | IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
