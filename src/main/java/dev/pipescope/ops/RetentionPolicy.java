package dev.pipescope.ops;

import dev.pipescope.error.InvalidArgumentException;
import java.time.Duration;
import java.util.Optional;

/**
 * Which backups {@code prune} keeps: the newest {@code keepLast}, and every one newer than
 * {@code keepNewerThan}. A backup that either rule keeps is kept; a rule that is empty keeps nothing
 * by itself. At least one rule must be given, so a policy can never mean "delete everything" by accident.
 */
public record RetentionPolicy(Optional<Integer> keepLast, Optional<Duration> keepNewerThan) {

    public RetentionPolicy {
        if (keepLast.isEmpty() && keepNewerThan.isEmpty()) {
            throw new InvalidArgumentException("a retention policy needs keepLast, keepNewerThan or both; "
                    + "neither was given");
        }
        keepLast.ifPresent(n -> {
            if (n < 1) {
                throw new InvalidArgumentException("keepLast must be at least 1, was " + n);
            }
        });
        keepNewerThan.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new InvalidArgumentException("keepNewerThan must be a positive duration, was " + d);
            }
        });
    }

    public static RetentionPolicy keepLast(int count) {
        return new RetentionPolicy(Optional.of(count), Optional.empty());
    }

    public static RetentionPolicy newerThan(Duration age) {
        return new RetentionPolicy(Optional.empty(), Optional.of(age));
    }

    public static RetentionPolicy keepLastAndNewerThan(int count, Duration age) {
        return new RetentionPolicy(Optional.of(count), Optional.of(age));
    }
}
