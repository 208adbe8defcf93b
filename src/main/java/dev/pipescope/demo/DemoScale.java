package dev.pipescope.demo;

/**
 * How much demo data to make: pipelines, runs in total (retries included) and the weeks they span.
 */
public enum DemoScale {
    /** A notebook's worth: quick to make, enough for every chart. */
    SMALL(12, 5_000, 4),
    /** A busy team's quarter. */
    MEDIUM(40, 100_000, 8),
    /** A million runs, for queries and benchmarks at size. */
    LARGE(100, 1_000_000, 12);

    private final int pipelines;
    private final int runs;
    private final int weeks;

    DemoScale(int pipelines, int runs, int weeks) {
        this.pipelines = pipelines;
        this.runs = runs;
        this.weeks = weeks;
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
}
