package dev.pipescope.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.error.CorruptDataException;
import org.junit.jupiter.api.Test;

class StageTypeTest {
    @Test
    void storedValuesAreReadWhateverTheirCase() {
        assertEquals(StageType.COMPRESSION, StageType.fromDb("compression"));
        // the tool's own test data writes 'Custom'
        assertEquals(StageType.CUSTOM, StageType.fromDb("Custom"));
        assertEquals(StageType.PASSTHROUGH, StageType.fromDb("PASSTHROUGH"));
        for (var type : StageType.values()) {
            assertEquals(type, StageType.fromDb(type.dbValue()));
        }
    }

    @Test
    void anUnknownOrMissingValueIsNamedInTheError() {
        var unknown = assertThrows(CorruptDataException.class, () -> StageType.fromDb("compress"));
        assertTrue(unknown.getMessage().contains("'compress'"), unknown.getMessage());
        var missing = assertThrows(CorruptDataException.class, () -> StageType.fromDb(null));
        assertTrue(missing.getMessage().contains("'null'"), missing.getMessage());
    }
}
