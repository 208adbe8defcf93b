package dev.pipescope.domain;

import dev.pipescope.error.CorruptDataException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Timestamps as the upstream tools write them.
 *
 * <p>The adaptive pipeline tool writes RFC 3339 with a {@code +00:00} offset and 0, 3, 6 or 9
 * fraction digits, the fewest that are exact ({@code 2025-10-09T05:06:40.893316984+00:00},
 * {@code 2025-10-09T05:06:40+00:00}). {@link #format} produces exactly that, so a value read and
 * written back is unchanged to the character. {@link #parse} also accepts {@code Z}, other offsets,
 * SQLite's {@code YYYY-MM-DD HH:MM:SS[.fff]} and zone-less ISO times (taken as UTC).
 */
public final class Timestamps {
    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter()
            // SMART would turn 2025-02-29 into 2025-02-28 and accept 24:00: silently another instant
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);

    private Timestamps() {}

    /** RFC 3339 in UTC with a {@code +00:00} offset and the fewest of 0, 3, 6, 9 fraction digits that are exact. */
    public static String format(Instant instant) {
        var utc = instant.atOffset(ZoneOffset.UTC);
        var sb = new StringBuilder(35);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            // RFC 3339 has four year digits; keep ISO's expanded form rather than silently wrapping
            sb.append(DateTimeFormatter.ISO_LOCAL_DATE.format(utc));
        } else {
            pad(sb, year, 4).append('-');
            pad(sb, utc.getMonthValue(), 2).append('-');
            pad(sb, utc.getDayOfMonth(), 2);
        }
        sb.append('T');
        pad(sb, utc.getHour(), 2).append(':');
        pad(sb, utc.getMinute(), 2).append(':');
        pad(sb, utc.getSecond(), 2);
        int nanos = utc.getNano();
        if (nanos != 0) {
            sb.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(sb, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(sb, nanos / 1_000, 6);
            } else {
                pad(sb, nanos, 9);
            }
        }
        return sb.append("+00:00").toString();
    }

    /** RFC 3339 in UTC with {@code Z} and nine fraction digits, as dagger's snapshot rows use. */
    public static String formatNanosZ(Instant instant) {
        var s = format(instant.atOffset(ZoneOffset.UTC).withNano(0).toInstant());
        var base = s.substring(0, s.length() - "+00:00".length());
        var sb = new StringBuilder(base).append('.');
        pad(sb, instant.getNano(), 9);
        return sb.append('Z').toString();
    }

    /**
     * Parses any of the styles the upstream tools write.
     *
     * @throws CorruptDataException naming the value when it is not a timestamp
     */
    public static Instant parse(String text) {
        if (text == null) {
            throw new CorruptDataException("timestamp is null");
        }
        var fast = parseCanonical(text);
        if (fast != null) {
            return fast;
        }
        try {
            var parsed = LENIENT.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime odt) {
                return odt.toInstant();
            }
            return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CorruptDataException("not a timestamp: '" + text + "'", e);
        }
    }

    /**
     * The common shapes ({@code YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z|+HH:MM|-HH:MM]}) without a formatter:
     * every row of every table carries timestamps, and {@code DateTimeFormatter.parseBest} dominated
     * the cost of reading an aggregate. Returns null for anything else, which the formatter then judges.
     */
    private static Instant parseCanonical(String t) {
        int n = t.length();
        if (n < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(t.charAt(i))) {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || (i < n && Character.isDigit(t.charAt(i)))) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char sign = t.charAt(i);
            if (sign == 'Z' && i + 1 == n) {
                offsetSeconds = 0;
            } else if ((sign == '+' || sign == '-') && i + 6 == n && t.charAt(i + 3) == ':') {
                int oh = digits(t, i + 1, 2);
                int om = digits(t, i + 4, 2);
                if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                    return null;
                }
                offsetSeconds = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            } else {
                return null;
            }
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Like {@link #parse} but for nullable columns. */
    public static Instant parseNullable(String text) {
        return text == null ? null : parse(text);
    }

    /**
     * Like {@link #parse}, but a timestamp written without a zone or offset is a local time in {@code zone}
     * (one with an offset keeps it). For tools that write local wall-clock time, such as etl-core.
     *
     * @throws CorruptDataException when the text is not a timestamp
     */
    public static Instant parseNaive(String text, java.time.ZoneId zone) {
        if (text == null) {
            return null;
        }
        try {
            var parsed = LENIENT.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime odt) {
                return odt.toInstant();
            }
            return ((LocalDateTime) parsed).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new CorruptDataException("not a timestamp: '" + text + "'", e);
        }
    }

    /** An instant as the local time in {@code zone} that a tool writing naive timestamps would have written. */
    public static java.time.LocalDateTime toNaive(Instant instant, java.time.ZoneId zone) {
        return LocalDateTime.ofInstant(instant, zone);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        var digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }
}
