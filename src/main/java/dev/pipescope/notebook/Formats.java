package dev.pipescope.notebook;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Numbers and times formatted for people. Which format a column gets follows from its name (see
 * {@link #kindOf(String)}), so tables keep raw values for computation and only their rendering changes.
 */
public final class Formats {

    /** How a column's values are shown. */
    public enum Kind { BYTES, DURATION_MS, THROUGHPUT, RATIO, PLAIN }

    /** Every time is shown in UTC, so times from different tools line up. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /**
     * The column naming convention: {@code *bytes*} or {@code *size*} are byte counts, {@code *_ms} are
     * milliseconds, {@code throughput*} are bytes per second, {@code *ratio}, {@code *rate} and
     * {@code progress} are ratios.
     */
    public static Kind kindOf(String column) {
        String name = column.toLowerCase(Locale.ROOT);
        // a trailing note says how a value was computed ("p95_duration_ms (nearest rank)"), not its unit
        int note = name.indexOf(" (");
        if (note > 0 && name.endsWith(")")) {
            name = name.substring(0, note);
        }
        if (name.startsWith("throughput") || name.endsWith("throughput")) {
            return Kind.THROUGHPUT;
        }
        if (name.endsWith("_ms") || name.equals("ms")) {
            return Kind.DURATION_MS;
        }
        if (name.contains("bytes") || name.endsWith("_size")) {
            return Kind.BYTES;
        }
        if (name.endsWith("ratio") || name.endsWith("rate") || name.equals("progress")) {
            return Kind.RATIO;
        }
        return Kind.PLAIN;
    }

    public static String bytes(double bytes) {
        double abs = Math.abs(bytes);
        if (abs < 1024) {
            return String.format(Locale.ROOT, "%.0f B", bytes);
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes / 1024;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String durationMs(double millis) {
        double abs = Math.abs(millis);
        if (abs < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        if (abs < 60_000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000);
        }
        if (abs < 3_600_000) {
            return String.format(Locale.ROOT, "%.1f min", millis / 60_000);
        }
        return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000);
    }

    public static String throughput(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.2f MiB/s", bytesPerSecond / (1024 * 1024));
    }

    public static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    /**
     * A number with as many significant digits as it takes to tell it from any other double (whole
     * numbers without decimals): {@code 0.001}, {@code 1e-9}, {@code -4.604223587690774}, {@code 99998}.
     */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        double abs = Math.abs(value);
        if (abs == 0 || (abs >= 1e-4 && abs < 1e15)) {
            // Double.toString is the shortest text that reads back as the same double
            return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        }
        String text = Double.toString(value);
        int e = text.indexOf('E');
        String mantissa = text.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + text.substring(e + 1);
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** Zone-less times (dagger's) are UTC by the tools' convention. */
    public static String time(LocalDateTime time) {
        return TIME.format(time.toInstant(ZoneOffset.UTC));
    }

    /** One value as shown in a table cell. */
    public static String value(Object value, Kind kind) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant instant) {
            return time(instant);
        }
        if (value instanceof LocalDateTime local) {
            return time(local);
        }
        if (value instanceof Number number && !(value instanceof Integer && kind == Kind.PLAIN)) {
            double d = number.doubleValue();
            switch (kind) {
                case BYTES: return bytes(d);
                case DURATION_MS: return durationMs(d);
                case THROUGHPUT: return throughput(d);
                case RATIO: return ratio(d);
                default:
                    if (value instanceof Double || value instanceof Float) {
                        return Double.isNaN(d) ? "" : number(value instanceof Float f ? Double.parseDouble(f.toString()) : d);
                    }
                    return value.toString();
            }
        }
        return value.toString();
    }
}
