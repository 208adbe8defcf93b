package dev.pipescope.domain;

import dev.pipescope.error.InvalidArgumentException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;

/**
 * ULIDs as the adaptive pipeline tool uses for ids: 26 characters of Crockford base32, upper case,
 * 48 bits of Unix milliseconds then 80 random bits, so ids sort by creation time.
 */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Random RANDOM = new SecureRandom();

    private Ulid() {}

    /** A new ULID for the current time. */
    public static String next() {
        return at(Instant.now());
    }

    /**
     * A ULID for the given time, with randomness from one shared {@link SecureRandom} (made on first use:
     * a repository that never makes an id never pays for the JDK's security providers).
     */
    public static String at(Instant time) {
        return at(time, RANDOM);
    }

    /** A ULID for the given time, with randomness from {@code random} (deterministic demo data). */
    public static String at(Instant time, Random random) {
        long millis = time.toEpochMilli();
        if (millis < 0 || millis >= (1L << 48)) {
            throw new InvalidArgumentException("time outside the ULID range: " + time);
        }
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits = 16 base32 characters
        long hi = random.nextLong() & ((1L << 40) - 1);
        long lo = random.nextLong() & ((1L << 40) - 1);
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** The creation time encoded in a ULID. */
    public static Instant timeOf(String ulid) {
        if (!isValid(ulid)) {
            throw new InvalidArgumentException("not a ULID: '" + ulid + "'");
        }
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | indexOf(ulid.charAt(i));
        }
        return Instant.ofEpochMilli(millis);
    }

    /** True for 26 upper-case Crockford base32 characters whose first is at most '7' (48-bit time). */
    public static boolean isValid(String text) {
        if (text == null || text.length() != 26 || text.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            if (indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
