package dev.pipescope.domain;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What one DAG has stored (dagger's {@code debug_print_db}, as data). Sizes are of the stored,
 * compressed bytes; nothing is decoded to make a summary, so a corrupt row still counts.
 *
 * @param dagId         the DAG
 * @param artifactCount rows in {@code artifacts}
 * @param treeBytes     the execution tree's size, when the DAG has one
 * @param snapshotCount rows in {@code snapshots}
 * @param snapshotBytes their total size
 * @param stateBytes    size per {@code state_type} (normally {@code active} and {@code pending})
 */
public record DagSummary(String dagId, long artifactCount, OptionalLong treeBytes, long snapshotCount,
                         long snapshotBytes, Map<String, Long> stateBytes) {
    public DagSummary {
        // sorted, so "active" comes before "pending" wherever it is printed
        stateBytes = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(stateBytes));
    }
}
