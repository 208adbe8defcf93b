package dev.pipescope.source.pipeline;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@link PipelineBenchmark} pairs measured by thread CPU time, round by round, alternating which
 * side goes first. On a shared 2-core machine wall-clock scores swing with other processes' load;
 * the CPU time a thread spends on the same work does not (SQLite runs on the calling thread).
 *
 * <pre>java -cp target/benchmarks.jar dev.pipescope.source.pipeline.PipelinePairedCpuBench [rounds]</pre>
 */
public final class PipelinePairedCpuBench {
    private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** One side of a pair: runs a batch of operations. */
    @FunctionalInterface
    interface Batch {
        void run() throws Exception;
    }

    record Pair(String name, int ops, Batch pipescope, Batch raw) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        var bench = new PipelineBenchmark();
        var filled = new PipelineBenchmark.Filled();
        filled.setUp();
        var empty = new PipelineBenchmark.Empty();
        try {
            var pairs = List.of(
                    new Pair("findById", 2_000, () -> repeat(2_000, () -> bench.findById_pipescope(filled)),
                            () -> repeat(2_000, () -> bench.findById_rawJdbc(filled))),
                    new Pair("findByName", 2_000, () -> repeat(2_000, () -> bench.findByName_pipescope(filled)),
                            () -> repeat(2_000, () -> bench.findByName_rawJdbc(filled))),
                    new Pair("listPaginated(100)", 50, () -> repeat(50, () -> bench.listPaginated100_pipescope(filled)),
                            () -> repeat(50, () -> bench.listPaginated100_rawJdbc(filled))),
                    new Pair("scan processing_metrics (10,000 rows)", 5,
                            () -> repeat(5, () -> bench.scanMetrics10k_pipescope(filled)),
                            () -> repeat(5, () -> bench.scanMetrics10k_rawJdbc(filled))),
                    new Pair("batch save 10,000 pipelines x 4 stages", 1, () -> {
                        empty.setUp();
                        try {
                            bench.batchSave10k_pipescope(empty);
                        } finally {
                            empty.tearDown();
                        }
                    }, () -> {
                        empty.setUp();
                        try {
                            bench.batchSave10k_rawJdbc(empty);
                        } finally {
                            empty.tearDown();
                        }
                    }));
            System.out.printf(Locale.ROOT, "| operation | Pipescope CPU µs/op | raw JDBC CPU µs/op | ratio raw/Pipescope "
                    + "(speed, median) | IQR |%n|---|---:|---:|---:|---|%n");
            for (var pair : pairs) {
                measure(pair, rounds);
            }
        } finally {
            filled.tearDown();
        }
    }

    private static void repeat(int times, Batch op) throws Exception {
        for (int i = 0; i < times; i++) {
            op.run();
        }
    }

    private static void measure(Pair pair, int rounds) throws Exception {
        for (int w = 0; w < 5; w++) { // warm-up: let both sides compile
            pair.pipescope().run();
            pair.raw().run();
        }
        var ours = new ArrayList<Double>();
        var theirs = new ArrayList<Double>();
        var speed = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double a;
            double b;
            if (r % 2 == 0) {
                a = cpu(pair.pipescope());
                b = cpu(pair.raw());
            } else {
                b = cpu(pair.raw());
                a = cpu(pair.pipescope());
            }
            ours.add(a / pair.ops());
            theirs.add(b / pair.ops());
            speed[r] = b / a; // Pipescope's speed relative to raw JDBC: 1.0 = as fast, 0.8 = 80 %
        }
        Arrays.sort(speed);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.2f-%.2f |%n", pair.name(), median(ours),
                median(theirs), speed[rounds / 2], speed[rounds / 4], speed[(3 * rounds) / 4]);
    }

    private static double cpu(Batch batch) throws Exception {
        long start = CPU.getCurrentThreadCpuTime();
        batch.run();
        return (CPU.getCurrentThreadCpuTime() - start) / 1_000.0;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
