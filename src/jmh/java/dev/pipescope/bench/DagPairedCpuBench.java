package dev.pipescope.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A companion to {@link DagBenchmark} for a shared, loaded machine: it runs each Pipescope operation
 * and its baseline alternately, in rounds, and compares the thread CPU time they take, so load from
 * other processes (which stretches wall time, not this thread's CPU time) does not skew the ratio.
 *
 * <pre>
 * mvn -Pbench -DskipTests package
 * java -cp target/benchmarks.jar dev.pipescope.bench.DagPairedCpuBench 15
 * </pre>
 */
public final class DagPairedCpuBench {
    private DagPairedCpuBench() {}

    private record Pair(String name, int batch, Callable<Object> pipescope, Callable<Object> baseline) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        var bench = new DagBenchmark();
        bench.setUp();
        var threads = ManagementFactory.getThreadMXBean();
        var pairs = List.of(
                new Pair("snapshot save (1 MB cache)", 5, bench::snapshotSave_pipescope, bench::snapshotSave_baseline),
                new Pair("snapshot load (1 MB cache)", 5, bench::snapshotLoad_pipescope, bench::snapshotLoad_baseline),
                new Pair("tree load (100 nodes, with SQL)", 200, bench::treeLoad_pipescope, bench::treeLoad_baseline),
                new Pair("tree decode (100 nodes, codec only)", 200, bench::treeDecode_pipescope,
                        bench::treeDecode_baseline));
        System.out.println("| operation | Pipescope CPU µs/op | baseline CPU µs/op | ratio (median of rounds) | ratio range |");
        System.out.println("|---|---:|---:|---:|---|");
        for (var pair : pairs) {
            // warm-up: both sides, alternately
            for (int i = 0; i < 5; i++) {
                time(threads, pair.pipescope(), pair.batch());
                time(threads, pair.baseline(), pair.batch());
            }
            var ratios = new double[rounds];
            var ours = new double[rounds];
            var theirs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                bench.trimSnapshots();
                // alternate which side goes first, so neither always runs on a warmer cache
                double a;
                double b;
                if (r % 2 == 0) {
                    a = time(threads, pair.pipescope(), pair.batch());
                    b = time(threads, pair.baseline(), pair.batch());
                } else {
                    b = time(threads, pair.baseline(), pair.batch());
                    a = time(threads, pair.pipescope(), pair.batch());
                }
                ours[r] = a;
                theirs[r] = b;
                ratios[r] = a / b;
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.2f – %.2f |%n", pair.name(), median(ours),
                    median(theirs), ratios[rounds / 2], ratios[rounds / 4], ratios[rounds * 3 / 4]);
        }
        bench.tearDown();
    }

    /** CPU microseconds per operation over one batch. */
    private static double time(java.lang.management.ThreadMXBean threads, Callable<Object> op, int batch)
            throws Exception {
        var sink = new ArrayList<Object>(1);
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < batch; i++) {
            sink.clear();
            sink.add(op.call());
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1000.0 / batch;
    }

    private static double median(double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
