package dev.pipescope.store.memory;

import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.ProcessingMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The state of one in-memory database, shared by its repositories so that deleting a pipeline
 * removes its metrics and metrics need an existing pipeline, as SQLite's foreign keys enforce.
 * Readers share a lock; writers hold it alone, so every call sees whole aggregates.
 */
final class MemoryStore {
    /** Pipelines by id; ids sort like creation order for ULIDs. */
    final TreeMap<String, Pipeline> pipelines = new TreeMap<>();
    final Map<String, String> idByName = new HashMap<>();
    final Map<String, ProcessingMetrics> metrics = new HashMap<>();
    /** Runs by id, each with the order it was recorded in (SQLite's rowid), which breaks ties of start time. */
    final Map<String, MemoryRunRepository.Stored> runs = new HashMap<>();
    long runsRecorded;
    /** The latest run start per pipeline, so "is this the latest run?" needs no scan of every run. */
    final Map<String, java.time.Instant> latestRunStart = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    <T> T read(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
