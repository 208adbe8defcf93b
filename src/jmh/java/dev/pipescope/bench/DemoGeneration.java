package dev.pipescope.bench;

import dev.pipescope.demo.DemoData;

import dev.pipescope.Pipescope;
import dev.pipescope.demo.DemoScale;
import dev.pipescope.domain.RunQuery;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times {@code Pipescope.demo} at a scale: wall clock and this process's CPU time (on a shared
 * machine the CPU time is the steadier figure), then the file's size and run count.
 *
 * {@code java -cp target/benchmarks.jar dev.pipescope.bench.DemoGeneration LARGE /tmp/demo-large.db}
 */
public final class DemoGeneration {
    private DemoGeneration() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoGeneration SMALL|MEDIUM|LARGE <new file>");
            System.exit(2);
        }
        var scale = DemoScale.valueOf(args[0]);
        var path = Path.of(args[1]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long runs;
        try (var db = DemoData.create(path, scale)) {
            runs = db.runs().count(RunQuery.all());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("%s: %,d runs in %.1f s wall, %.1f s CPU (%,.0f runs/s wall), file %,d MiB%n", scale, runs,
                wall, cpu, runs / wall, Files.size(path) >> 20);
    }
}
