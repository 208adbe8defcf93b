package dev.pipescope.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UlidTest {
    @Test
    void upstreamIdsAreValidAndCarryTheirCreationTime() {
        // a fixture pipeline id, created at 2025-10-09T05:06:40.893Z
        assertTrue(Ulid.isValid("01K73NTFKXP8H012G5MV268WAS"));
        assertEquals(Instant.parse("2025-10-09T05:06:40.893Z"), Ulid.timeOf("01K73NTFKXP8H012G5MV268WAS"));
    }

    @Test
    void newIdsAreValidUniqueAndSortByTime() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            var id = Ulid.next();
            assertTrue(Ulid.isValid(id), id);
            assertTrue(seen.add(id));
        }
        var earlier = Ulid.at(Instant.parse("2024-01-01T00:00:00Z"), new Random(1));
        var later = Ulid.at(Instant.parse("2024-01-01T00:00:00.001Z"), new Random(1));
        assertTrue(earlier.compareTo(later) < 0);
        assertEquals(Instant.parse("2024-01-01T00:00:00.001Z"), Ulid.timeOf(later));
    }

    @Test
    void anIdForAGivenTimeCarriesThatTimeAndDiffersEachCall() {
        var t = Instant.parse("2025-03-04T05:06:07.089Z");
        var first = Ulid.at(t);
        var second = Ulid.at(t);
        assertTrue(Ulid.isValid(first), first);
        assertEquals(t, Ulid.timeOf(first));
        assertEquals(first.substring(0, 10), second.substring(0, 10), "same time part");
        assertNotEquals(first, second, "random part");
    }

    @Test
    void seededRandomnessIsDeterministic() {
        var t = Instant.parse("2025-01-01T00:00:00Z");
        assertEquals(Ulid.at(t, new Random(42)), Ulid.at(t, new Random(42)));
        assertNotEquals(Ulid.at(t, new Random(42)), Ulid.at(t, new Random(43)));
    }

    @Test
    void malformedIdsAreInvalid() {
        assertFalse(Ulid.isValid(null));
        assertFalse(Ulid.isValid("01K73NTFKXP8H012G5MV268WA"));      // 25 chars
        assertFalse(Ulid.isValid("01K73NTFKXP8H012G5MV268WAU"));     // U is not Crockford
        assertFalse(Ulid.isValid("81K73NTFKXP8H012G5MV268WAS"));     // overflows 48 bits
        assertFalse(Ulid.isValid("01k73ntfkxp8h012g5mv268was"));     // lower case
    }
}
