package dev.pipescope.demo;

/**
 * How much demo data to make: active pipelines (the demo adds {@link DemoData#ARCHIVED} retired ones),
 * runs in total (retries included) and the weeks they span.
 */
public enum DemoScale {
    /** A notebook's worth: quick to make, enough for every chart. */
    SMALL(12, 5_000, 4, 6, 8),
    /** A busy team's quarter. */
    MEDIUM(40, 100_000, 8, 12, 20),
    /** A million runs, for queries and benchmarks at size. */
    LARGE(100, 1_000_000, 12, 24, 40);

    private final int pipelines;
    private final int runs;
    private final int weeks;
    private final int dags;
    private final int snapshotsPerDag;

    DemoScale(int pipelines, int runs, int weeks, int dags, int snapshotsPerDag) {
        this.pipelines = pipelines;
        this.runs = runs;
        this.weeks = weeks;
        this.dags = dags;
        this.snapshotsPerDag = snapshotsPerDag;
    }

    /** DAGs with artifacts, an execution tree, snapshots and execution state. */
    public int dags() {
        return dags;
    }

    public int snapshotsPerDag() {
        return snapshotsPerDag;
    }

    public int pipelines() {
        return pipelines;
    }

    public int runs() {
        return runs;
    }

    public int weeks() {
        return weeks;
    }

    /** This scale as an exact size, to change one part of it. */
    public DemoSize size() {
        return new DemoSize(pipelines, runs, weeks, dags, snapshotsPerDag);
    }
}
