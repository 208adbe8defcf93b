package dev.pipescope.domain;

import dev.pipescope.error.CorruptDataException;

/** The kinds of stage the adaptive pipeline tool knows; stored lower-case in {@code pipeline_stages.stage_type}. */
public enum StageType {
    COMPRESSION, ENCRYPTION, TRANSFORM, CHECKSUM, PASSTHROUGH,
    /** A stage of a kind the tool leaves to its algorithm; its own test data writes {@code Custom}. */
    CUSTOM;

    private static final StageType[] VALUES = values();

    /** The value stored in the database. */
    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Reads a stored value; an unknown one is reported with the value itself. */
    public static StageType fromDb(String value) {
        // every stage of every aggregate read comes through here: no array copy, no lower-cased names
        for (var type : VALUES) {
            // the tool's own test data writes 'Custom'; its code writes lower case
            if (type.name().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new CorruptDataException("unknown stage_type '" + value + "' (expected one of compression, encryption, "
                + "transform, checksum, passthrough, custom)");
    }
}
