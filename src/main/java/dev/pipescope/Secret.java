package dev.pipescope;

import java.util.Objects;

/**
 * A password, kept out of every text Pipescope prints: {@link #toString()} is {@code "****"}, so a
 * secret inside a record, an exception message or a notebook cell's output shows as such. Only the
 * code that hands it to a driver calls {@link #reveal()}.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * @throws dev.pipescope.error.InvalidArgumentException when {@code value} is null
     */
    public static Secret of(String value) {
        if (value == null) {
            throw new dev.pipescope.error.InvalidArgumentException("a secret is null");
        }
        return new Secret(value);
    }

    /** The secret itself, for a driver's connection properties. Never print it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
