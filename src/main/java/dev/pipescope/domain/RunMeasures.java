package dev.pipescope.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run measured: every column of upstream's {@code processing_metrics} except the pipeline and
 * the times, which the run itself holds.
 *
 * @param compressionRatio null when the run has none (no compression stage, or unfinished)
 */
public record RunMeasures(
        long bytesProcessed,
        long bytesTotal,
        long chunksProcessed,
        long chunksTotal,
        double throughputBytesPerSecond,
        Double compressionRatio,
        long errorCount,
        long warningCount,
        long inputFileSizeBytes,
        long outputFileSizeBytes,
        String inputFileChecksum,
        String outputFileChecksum) {

    /** Nothing measured yet. */
    public static final RunMeasures NONE = new RunMeasures(0, 0, 0, 0, 0.0, null, 0, 0, 0, 0, null, null);

    /** A run about to read {@code bytesTotal} bytes from an input of that size. */
    public static RunMeasures ofInput(long bytesTotal) {
        return new RunMeasures(0, bytesTotal, 0, 0, 0.0, null, 0, 0, bytesTotal, 0, null, null);
    }

    /** These measures with progress counters replaced. */
    public RunMeasures withProgress(long bytes, long chunks, long chunksOf) {
        return new RunMeasures(bytes, bytesTotal, chunks, chunksOf, throughputBytesPerSecond, compressionRatio,
                errorCount, warningCount, inputFileSizeBytes, outputFileSizeBytes, inputFileChecksum,
                outputFileChecksum);
    }

    /** The numeric measures by {@code processing_metrics} column name, for tables and charts. */
    public Map<String, Double> asMap() {
        var map = new LinkedHashMap<String, Double>();
        map.put("bytes_processed", (double) bytesProcessed);
        map.put("bytes_total", (double) bytesTotal);
        map.put("chunks_processed", (double) chunksProcessed);
        map.put("chunks_total", (double) chunksTotal);
        map.put("throughput_bytes_per_second", throughputBytesPerSecond);
        if (compressionRatio != null) {
            map.put("compression_ratio", compressionRatio);
        }
        map.put("error_count", (double) errorCount);
        map.put("warning_count", (double) warningCount);
        map.put("input_file_size_bytes", (double) inputFileSizeBytes);
        map.put("output_file_size_bytes", (double) outputFileSizeBytes);
        return map;
    }
}
