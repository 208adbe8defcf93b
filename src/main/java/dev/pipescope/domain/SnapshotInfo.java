package dev.pipescope.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One stored snapshot of a DAG's cache, as listed (the payload is decoded to count, not kept).
 * A row whose payload cannot be decoded is still listed, with {@link #problem()} saying why.
 *
 * @param id              the row id (SQLite's rowid for files in dagger's older layout)
 * @param dagId           the DAG
 * @param createdAt       when it was taken; empty if the stored time is not a timestamp
 * @param createdAtText   the time exactly as stored
 * @param compressedBytes the stored payload's size
 * @param rawBytes        the JSON's size after decompressing, when readable
 * @param nodeCount       how many nodes the snapshot holds, when readable
 * @param problem         why the payload is unreadable, when it is
 */
public record SnapshotInfo(long id, String dagId, Optional<Instant> createdAt, String createdAtText,
                          long compressedBytes, OptionalLong rawBytes, OptionalInt nodeCount,
                          Optional<String> problem) {

    /** True when the payload decodes. */
    public boolean readable() {
        return problem.isEmpty();
    }
}
