package dev.pipescope.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@link Run}s held column by column, newest first: what a data frame of hundreds of thousands of runs is
 * built from without one object per run. Holds the fields every runs table shows: source, id, name,
 * status, start, end, duration, attempts, error and two measures ({@code bytes_processed},
 * {@code throughput_bytes_per_second}). Times are kept to the millisecond, as Pipescope stores them.
 *
 * <pre>{@code
 * RunColumns all = db.runs().unifiedColumns(RunFilter.everything());
 * long slow = java.util.stream.IntStream.range(0, all.size())
 *         .filter(i -> all.durationMs(i).orElse(0) > 60_000).count();
 * }</pre>
 */
public final class RunColumns {
    /** Marks an absent time or duration in the long columns; tablesaw reads it as missing too. */
    public static final long ABSENT = Long.MIN_VALUE;

    private final int size;
    private final RunSource[] sources;
    private final String[] ids;
    private final String[] names;
    private final RunStatus[] statuses;
    private final long[] startMillis;
    private final long[] endMillis;
    private final long[] durationMs;
    private final int[] attempts;
    private final double[] bytesProcessed;
    private final double[] throughput;
    private final String[] errors;

    private RunColumns(Builder b) {
        size = b.size;
        sources = Arrays.copyOf(b.sources, size);
        ids = Arrays.copyOf(b.ids, size);
        names = Arrays.copyOf(b.names, size);
        statuses = Arrays.copyOf(b.statuses, size);
        startMillis = Arrays.copyOf(b.startMillis, size);
        endMillis = Arrays.copyOf(b.endMillis, size);
        durationMs = Arrays.copyOf(b.durationMs, size);
        attempts = Arrays.copyOf(b.attempts, size);
        bytesProcessed = Arrays.copyOf(b.bytesProcessed, size);
        throughput = Arrays.copyOf(b.throughput, size);
        errors = Arrays.copyOf(b.errors, size);
    }

    /** The columns of {@code runs}, sorted newest first as {@link RunRepository#unified} sorts. */
    public static RunColumns of(List<Run> runs) {
        var sorted = new ArrayList<>(runs);
        sorted.sort(Run.NEWEST_FIRST);
        var b = new Builder(sorted.size());
        sorted.forEach(b::add);
        return b.build();
    }

    /** One table of {@code parts} in their order. */
    public static RunColumns concat(List<RunColumns> parts) {
        var b = new Builder(parts.stream().mapToInt(p -> p.size).sum());
        parts.forEach(b::addAll);
        return b.build();
    }

    /**
     * Merges a stream of batches, each newest first and none newer than the batch before, with one
     * table sorted newest first ({@code rest}), handing merged batches on as they are ready and stopping
     * after {@code limit} rows. Rows at the same time: the streamed one first.
     */
    public static final class StreamMerger {
        private final RunColumns rest;
        private final int limit;
        private final java.util.function.Consumer<RunColumns> sink;
        private int nextRest;
        private long emitted;

        public StreamMerger(RunColumns rest, int limit, java.util.function.Consumer<RunColumns> sink) {
            this.rest = Objects.requireNonNull(rest, "rest");
            this.limit = limit;
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** False once {@code limit} rows have been handed on: the reader may stop. */
        public boolean wantsMore() {
            return emitted < limit;
        }

        public void push(RunColumns batch) {
            var b = new Builder(batch.size + 16);
            for (int i = 0; i < batch.size && room(b); i++) {
                while (nextRest < rest.size && room(b) && newer(rest, nextRest, batch, i)) {
                    rest.copyRow(nextRest++, b);
                }
                if (room(b)) {
                    batch.copyRow(i, b);
                }
            }
            hand(b);
        }

        /** Hands on what is left of {@code rest}. */
        public void finish() {
            var b = new Builder(Math.max(0, rest.size - nextRest));
            while (nextRest < rest.size && room(b)) {
                rest.copyRow(nextRest++, b);
            }
            hand(b);
        }

        private boolean room(Builder b) {
            return emitted + b.size < limit;
        }

        private void hand(Builder b) {
            if (b.size > 0) {
                emitted += b.size;
                sink.accept(b.build());
            }
        }
    }

    /** True when row {@code i} of {@code a} sorts strictly before row {@code j} of {@code b}: newer, timeless last. */
    private static boolean newer(RunColumns a, int i, RunColumns b, int j) {
        long ta = a.timeMillis(i);
        long tb = b.timeMillis(j);
        if (ta == ABSENT) {
            return false;
        }
        return tb == ABSENT || ta > tb;
    }

    private void copyRow(int i, Builder b) {
        b.add(sources[i], ids[i], names[i], statuses[i], startMillis[i], endMillis[i], durationMs[i], attempts[i],
                bytesProcessed[i], throughput[i], errors[i]);
    }

    public int size() {
        return size;
    }

    public RunSource source(int row) {
        return sources[check(row)];
    }

    public String id(int row) {
        return ids[check(row)];
    }

    /** For people: the pipeline's name, the job's name, {@code dag/node}. */
    public String name(int row) {
        return names[check(row)];
    }

    public RunStatus status(int row) {
        return statuses[check(row)];
    }

    public Optional<Instant> start(int row) {
        return instant(startMillis[check(row)]);
    }

    public Optional<Instant> end(int row) {
        return instant(endMillis[check(row)]);
    }

    public OptionalLong durationMs(int row) {
        long d = durationMs[check(row)];
        return d == ABSENT ? OptionalLong.empty() : OptionalLong.of(d);
    }

    public int attempts(int row) {
        return attempts[check(row)];
    }

    public OptionalDouble bytesProcessed(int row) {
        return optional(bytesProcessed[check(row)]);
    }

    public OptionalDouble throughputBytesPerSecond(int row) {
        return optional(throughput[check(row)]);
    }

    public Optional<String> error(int row) {
        return Optional.ofNullable(errors[check(row)]);
    }

    /** A copy of the start times as epoch milliseconds, {@link #ABSENT} where unknown. */
    public long[] startMillis() {
        return startMillis.clone();
    }

    /** A copy of the end times as epoch milliseconds, {@link #ABSENT} where unknown. */
    public long[] endMillis() {
        return endMillis.clone();
    }

    /** A copy of the durations in milliseconds, {@link #ABSENT} where unknown. */
    public long[] durationsMs() {
        return durationMs.clone();
    }

    public int[] attempts() {
        return attempts.clone();
    }

    /** A copy of the bytes processed, NaN where the source measures none. */
    public double[] bytesProcessed() {
        return bytesProcessed.clone();
    }

    /** A copy of the throughputs in bytes per second, NaN where the source measures none. */
    public double[] throughputsBytesPerSecond() {
        return throughput.clone();
    }

    public List<String> ids() {
        return List.of(ids);
    }

    /** The names, null where a source has none. */
    public List<String> names() {
        return java.util.Collections.unmodifiableList(Arrays.asList(names.clone()));
    }

    /** The errors, null where a run has none (so not a {@code List.of}, which refuses nulls). */
    public List<String> errors() {
        return java.util.Collections.unmodifiableList(Arrays.asList(errors.clone()));
    }

    public List<RunSource> sources() {
        return List.of(sources);
    }

    public List<RunStatus> statuses() {
        return List.of(statuses);
    }

    private long timeMillis(int row) {
        return startMillis[row] != ABSENT ? startMillis[row] : endMillis[row];
    }

    private int check(int row) {
        Objects.checkIndex(row, size);
        return row;
    }

    private static Optional<Instant> instant(long millis) {
        return millis == ABSENT ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static OptionalDouble optional(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Collects rows in the order given; a store adds them newest first. */
    public static final class Builder {
        private int size;
        private RunSource[] sources;
        private String[] ids;
        private String[] names;
        private RunStatus[] statuses;
        private long[] startMillis;
        private long[] endMillis;
        private long[] durationMs;
        private int[] attempts;
        private double[] bytesProcessed;
        private double[] throughput;
        private String[] errors;

        public Builder(int expectedRows) {
            int capacity = Math.max(16, expectedRows);
            sources = new RunSource[capacity];
            ids = new String[capacity];
            names = new String[capacity];
            statuses = new RunStatus[capacity];
            startMillis = new long[capacity];
            endMillis = new long[capacity];
            durationMs = new long[capacity];
            attempts = new int[capacity];
            bytesProcessed = new double[capacity];
            throughput = new double[capacity];
            errors = new String[capacity];
        }

        /**
         * One row. Times and duration are {@link #ABSENT} when unknown, the measures NaN.
         *
         * @throws NullPointerException when source, id or status is null
         */
        public Builder add(RunSource source, String id, String name, RunStatus status, long startMillis,
                           long endMillis, long durationMs, int attempts, double bytesProcessed,
                           double throughputBytesPerSecond, String error) {
            Objects.requireNonNull(source, "run source");
            Objects.requireNonNull(id, "run id");
            Objects.requireNonNull(status, "run status");
            if (size == ids.length) {
                grow();
            }
            this.sources[size] = source;
            this.ids[size] = id;
            this.names[size] = name;
            this.statuses[size] = status;
            this.startMillis[size] = startMillis;
            this.endMillis[size] = endMillis;
            this.durationMs[size] = durationMs;
            this.attempts[size] = attempts;
            this.bytesProcessed[size] = bytesProcessed;
            this.throughput[size] = throughputBytesPerSecond;
            this.errors[size] = error;
            size++;
            return this;
        }

        /** Every row of {@code other}, after the rows already added. */
        public Builder addAll(RunColumns other) {
            while (size + other.size > ids.length) {
                grow();
            }
            System.arraycopy(other.sources, 0, sources, size, other.size);
            System.arraycopy(other.ids, 0, ids, size, other.size);
            System.arraycopy(other.names, 0, names, size, other.size);
            System.arraycopy(other.statuses, 0, statuses, size, other.size);
            System.arraycopy(other.startMillis, 0, startMillis, size, other.size);
            System.arraycopy(other.endMillis, 0, endMillis, size, other.size);
            System.arraycopy(other.durationMs, 0, durationMs, size, other.size);
            System.arraycopy(other.attempts, 0, attempts, size, other.size);
            System.arraycopy(other.bytesProcessed, 0, bytesProcessed, size, other.size);
            System.arraycopy(other.throughput, 0, throughput, size, other.size);
            System.arraycopy(other.errors, 0, errors, size, other.size);
            size += other.size;
            return this;
        }

        public Builder add(Run run) {
            return add(run.source(), run.id(), run.name(), run.status(), millis(run.start()), millis(run.end()),
                    run.duration() == null ? ABSENT : run.duration().toMillis(), run.attempts(),
                    run.measures().getOrDefault("bytes_processed", Double.NaN),
                    run.measures().getOrDefault("throughput_bytes_per_second", Double.NaN), run.error());
        }

        public int size() {
            return size;
        }

        public RunColumns build() {
            return new RunColumns(this);
        }

        private static long millis(Instant instant) {
            return instant == null ? ABSENT : instant.toEpochMilli();
        }

        private void grow() {
            int capacity = ids.length * 2;
            sources = Arrays.copyOf(sources, capacity);
            ids = Arrays.copyOf(ids, capacity);
            names = Arrays.copyOf(names, capacity);
            statuses = Arrays.copyOf(statuses, capacity);
            startMillis = Arrays.copyOf(startMillis, capacity);
            endMillis = Arrays.copyOf(endMillis, capacity);
            durationMs = Arrays.copyOf(durationMs, capacity);
            attempts = Arrays.copyOf(attempts, capacity);
            bytesProcessed = Arrays.copyOf(bytesProcessed, capacity);
            throughput = Arrays.copyOf(throughput, capacity);
            errors = Arrays.copyOf(errors, capacity);
        }
    }
}
