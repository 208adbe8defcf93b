package dev.pipescope.domain;

/**
 * What to queue as a new Hyperpage job.
 *
 * @param priority 1 (low) to 4 (critical), as Hyperpage's JobPriority
 * @param tool the JSON of a Hyperpage Tool object, stored as given, or a tool's name, stored as a JSON
 *             string (Hyperpage reads {@code jobs.tool} with {@code JSON.parse}); null for a job of no tool
 * @param endpoint null when the job calls none
 * @param payload JSON text
 */
public record JobSpec(String type, String name, int priority, String tool, String endpoint, String payload) {

    /** A job of a tool at priority 2 (Hyperpage's normal). */
    public static JobSpec of(String type, String name, String tool, String payload) {
        return new JobSpec(type, name, 2, tool, null, payload);
    }
}
