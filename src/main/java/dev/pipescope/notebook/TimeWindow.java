package dev.pipescope.notebook;

import dev.pipescope.error.InvalidArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A span of time, {@code from} inclusive and {@code to} exclusive (UTC), that runs are picked by: a run
 * belongs to it when its time (its start, else its end) falls inside.
 *
 * <pre>{@code
 * var week = TimeWindow.of(Instant.parse("2025-10-25T00:00:00Z"), Instant.parse("2025-11-01T00:00:00Z"));
 * week.previous();   // 2025-10-18T00:00Z – 2025-10-25T00:00Z
 * }</pre>
 *
 * @param from  first instant inside
 * @param to    first instant after the window
 * @param label how the window was asked for ("last 7 days of data"), or empty
 */
public record TimeWindow(Instant from, Instant to, String label) {

    /** @throws InvalidArgumentException when a bound is missing or {@code from} is not before {@code to} */
    public TimeWindow {
        if (from == null || to == null) {
            throw new InvalidArgumentException("a time window needs both bounds, got from " + from + " and to " + to);
        }
        if (!from.isBefore(to)) {
            throw new InvalidArgumentException("time window is empty: from " + from + " is not before to " + to);
        }
        label = Objects.requireNonNullElse(label, "");
    }

    /** [from, to). */
    public static TimeWindow of(Instant from, Instant to) {
        return new TimeWindow(from, to, "");
    }

    /** [from, to) from ISO-8601 instants ({@code 2025-10-25T00:00:00Z}). */
    public static TimeWindow of(String from, String to) {
        return of(parse(from, "from"), parse(to, "to"));
    }

    /** The period just before this one and as long: what "this week" is compared with. */
    public TimeWindow previous() {
        return new TimeWindow(from.minus(length()), from, "the " + words(length()) + " before");
    }

    /** The window of {@code length} that ends where this one starts. */
    public TimeWindow before(Duration length) {
        requirePositive(length, "window length");
        return new TimeWindow(from.minus(length), from, "");
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** True when {@code time} is inside. */
    public boolean contains(Instant time) {
        return !time.isBefore(from) && time.isBefore(to);
    }

    /** "last 7 days of data: 2025-10-25 00:00:00.000Z – 2025-11-01 00:00:00.000Z" (to exclusive). */
    @Override
    public String toString() {
        String span = Formats.TIME.format(from) + " – " + Formats.TIME.format(to);
        return label.isEmpty() ? span : label + ": " + span;
    }

    /** "7 days", "1 hour", "90 minutes", "1500 ms": the largest unit that divides the length. */
    static String words(Duration length) {
        long ms = length.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"day", "hour", "minute", "second"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                long n = ms / units[i];
                return n + " " + names[i] + (n == 1 ? "" : "s");
            }
        }
        return ms + " ms";
    }

    static void requirePositive(Duration length, String what) {
        if (length == null || length.isNegative() || length.isZero()) {
            throw new InvalidArgumentException(what + " must be a positive duration, was " + length);
        }
    }

    private static Instant parse(String text, String which) {
        try {
            return Instant.parse(Objects.requireNonNull(text, which));
        } catch (java.time.format.DateTimeParseException | NullPointerException e) {
            throw new InvalidArgumentException("time window '" + which + "' is not an ISO-8601 instant such as "
                    + "2025-10-25T00:00:00Z: " + text, e);
        }
    }
}
