package dev.pipescope.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.error.CorruptDataException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2025-10-09T05:06:40.893316984+00:00", "2025-10-09T05:06:40+00:00",
            "2025-10-09T05:06:40.893+00:00", "2025-10-09T05:06:40.893316+00:00", "1970-01-01T00:00:00+00:00"})
    void upstreamValuesSurviveParseAndFormatToTheCharacter(String text) {
        assertEquals(text, Timestamps.format(Timestamps.parse(text)));
    }

    @ParameterizedTest
    @CsvSource({
            "2025-10-09T05:06:40.100000000Z, 2025-10-09T05:06:40.100+00:00",
            "2025-10-09T05:06:40.000001Z, 2025-10-09T05:06:40.000001+00:00",
            "2025-10-09T05:06:40.000000001Z, 2025-10-09T05:06:40.000000001+00:00",
            "2025-10-09T05:06:40.120000Z, 2025-10-09T05:06:40.120+00:00"})
    void formatUsesTheFewestExactFractionDigitsOf0369(String instant, String expected) {
        assertEquals(expected, Timestamps.format(Instant.parse(instant)));
    }

    @ParameterizedTest
    @CsvSource({
            "2025-09-22T12:20:00.123456789, 2025-09-22T12:20:00.123456789Z",
            "2025-09-22 12:20:00, 2025-09-22T12:20:00Z",
            "2025-09-22 12:20:00.250000, 2025-09-22T12:20:00.250Z",
            "2025-09-22T14:20:00+02:00, 2025-09-22T12:20:00Z",
            "2025-09-22T12:20:00.5Z, 2025-09-22T12:20:00.500Z"})
    void parseAcceptsTheOtherToolsStyles(String text, String expected) {
        assertEquals(Instant.parse(expected), Timestamps.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2025-13-40T00:00:00Z", "2025-10-09T05:06:40+00:00 trailing"})
    void garbageIsACorruptDataErrorNamingTheValue(String text) {
        var e = assertThrows(CorruptDataException.class, () -> Timestamps.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 999_999_999L, 1_759_986_400_893_316_984L, Long.MAX_VALUE})
    void anyInstantSurvivesFormatThenParse(long nanos) {
        var instant = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        assertEquals(instant, Timestamps.parse(Timestamps.format(instant)));
    }

    @org.junit.jupiter.api.Test
    void daggerStyleHasNineDigitsAndZ() {
        assertEquals("2025-09-22T12:20:00.123000000Z",
                Timestamps.formatNanosZ(Instant.parse("2025-09-22T12:20:00.123Z")));
    }

    @ParameterizedTest
    @CsvSource({
            "2025-10-09T05:06:40.893316984+00:00, 2025-10-09T05:06:40.893316984Z",
            "2025-10-09T05:06:40+02:30, 2025-10-09T02:36:40Z",
            "2025-10-09T05:06:40-07:00, 2025-10-09T12:06:40Z",
            "2024-02-29 23:59:59.1, 2024-02-29T23:59:59.100Z",
            "1969-12-31T23:59:59.999999999Z, 1969-12-31T23:59:59.999999999Z"})
    void theFastPathAgreesWithTheCalendar(String text, String expected) {
        assertEquals(Instant.parse(expected), Timestamps.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-29T00:00:00Z", "2025-10-09T24:00:00Z", "2025-10-09T05:06:40.1234567891Z",
            "2025-10-09T05:06:40.Z", "2025-10-09T05:06:40+0200x", "2025-1O-09T05:06:40Z"})
    void malformedCanonicalLookalikesAreStillRefused(String text) {
        assertThrows(CorruptDataException.class, () -> Timestamps.parse(text));
    }
}
