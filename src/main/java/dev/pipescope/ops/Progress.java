package dev.pipescope.ops;

/**
 * Told how far a long operation (backup, verify, restore) has come, from one thread at a time (not always the caller's);
 * {@code total} may change between phases, {@code phase} names what is being done.
 */
@FunctionalInterface
public interface Progress {
    /** Ignores every report. */
    Progress NONE = (phase, done, total) -> { };

    void report(String phase, long done, long total);
}
