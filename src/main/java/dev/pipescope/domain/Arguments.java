package dev.pipescope.domain;

import dev.pipescope.error.InvalidArgumentException;

/** Checks of the arguments every repository call takes, written once for all of them. */
public final class Arguments {
    private Arguments() {}

    /**
     * @return {@code value}
     * @throws InvalidArgumentException when {@code value} is null, naming {@code what}
     */
    public static <T> T required(T value, String what) {
        if (value == null) {
            throw new InvalidArgumentException(what + " is null");
        }
        return value;
    }

    /** @throws InvalidArgumentException for a negative offset or a limit below 1 */
    public static void validatePage(long offset, int limit) {
        if (offset < 0) {
            throw new InvalidArgumentException("page offset must be 0 or more, was " + offset);
        }
        if (limit < 1) {
            throw new InvalidArgumentException("page limit must be 1 or more, was " + limit);
        }
    }
}
