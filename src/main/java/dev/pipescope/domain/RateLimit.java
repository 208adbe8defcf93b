package dev.pipescope.domain;

import java.time.Instant;

/** One row of Hyperpage's {@code rate_limits} (id {@code <platform>:global}). Nullable columns are nullable here. */
public record RateLimit(String id, String platform, Long limitRemaining, Long limitTotal, Instant resetTime,
                        Instant lastUpdated, Instant createdAt) {

    /** Fraction of the limit still available, when both numbers are known. */
    public java.util.Optional<Double> remainingFraction() {
        return limitRemaining == null || limitTotal == null || limitTotal <= 0
                ? java.util.Optional.empty() : java.util.Optional.of((double) limitRemaining / limitTotal);
    }
}
