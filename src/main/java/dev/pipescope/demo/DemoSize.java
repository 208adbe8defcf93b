package dev.pipescope.demo;

import dev.pipescope.error.InvalidArgumentException;

/**
 * Exactly how much demo data to make: a {@link DemoScale}'s shape, or any run count on one
 * ({@code DemoScale.MEDIUM.size().withRuns(10_000)}).
 *
 * @param runs runs in total, retries included
 * @param weeks the span the runs cover, ending at {@link DemoData#END}
 * @param dags DAGs with artifacts, an execution tree, snapshots and execution state
 */
public record DemoSize(int pipelines, int runs, int weeks, int dags, int snapshotsPerDag) {
    public DemoSize {
        if (pipelines < 1 || runs < pipelines || weeks < 1 || dags < 0 || snapshotsPerDag < 0) {
            throw new InvalidArgumentException("demo size needs at least one pipeline, a run per pipeline and a week,"
                    + " got " + pipelines + " pipelines, " + runs + " runs, " + weeks + " weeks, " + dags + " DAGs, "
                    + snapshotsPerDag + " snapshots per DAG");
        }
    }

    /** The same shape with {@code count} runs in total. */
    public DemoSize withRuns(int count) {
        return new DemoSize(pipelines, count, weeks, dags, snapshotsPerDag);
    }
}
