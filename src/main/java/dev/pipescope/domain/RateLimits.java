package dev.pipescope.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Hyperpage's per-platform API rate limits ({@code rate_limits}). */
public interface RateLimits {

    /** The global limit of a platform (row {@code <platform>:global}). */
    Optional<RateLimit> find(String platform);

    List<RateLimit> list();

    /** Records the platform's current limit; {@code last_updated} becomes now. @return the row as stored */
    RateLimit update(String platform, Long remaining, Long total, Instant resetTime);

    boolean delete(String platform);
}
