package dev.pipescope.ops;

/**
 * Told how far a long operation (backup, verify, restore) has come. Called from the working thread;
 * {@code total} may change between phases, {@code phase} names what is being done.
 */
@FunctionalInterface
public interface Progress {
    /** Ignores every report. */
    Progress NONE = (phase, done, total) -> { };

    void report(String phase, long done, long total);
}
