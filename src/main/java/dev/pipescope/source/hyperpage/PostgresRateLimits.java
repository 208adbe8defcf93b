package dev.pipescope.source.hyperpage;

import dev.pipescope.Connections;
import dev.pipescope.domain.RateLimit;
import dev.pipescope.domain.RateLimits;
import dev.pipescope.error.CorruptDataException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Hyperpage's PostgreSQL {@code rate_limits}, read as its {@code RateLimitRepository} writes them: {@code key}
 * {@code <platform>:global} is the record's id, {@code remaining} and {@code reset_at} its columns, and
 * {@code metadata} JSON carries {@code platform} (else the key's part before {@code :}), {@code limitTotal} and
 * {@code lastUpdated} (epoch ms; null when absent). {@code key} is not unique there: {@link #list()} gives every row,
 * {@link #find} a key's newest.
 */
final class PostgresRateLimits implements RateLimits {
    private final Connections db;

    PostgresRateLimits(Connections db) {
        this.db = db;
    }

    private RateLimit map(ResultSet rs) throws SQLException {
        long row = rs.getLong(1);
        var key = rs.getString(2);
        var platform = rs.getString(5);
        if (platform == null || platform.isEmpty()) {
            int colon = key.indexOf(':');
            platform = colon < 0 ? key : key.substring(0, colon);
        }
        long remaining = rs.getLong(3);
        Long wasRemaining = rs.wasNull() ? null : remaining;
        var lastUpdated = whole(rs.getString(7), "lastUpdated", row);
        return new RateLimit(key, platform, wasRemaining, whole(rs.getString(6), "limitTotal", row),
                PostgresJobRows.instant(rs, 4), lastUpdated == null ? null : Instant.ofEpochMilli(lastUpdated),
                PostgresJobRows.instant(rs, 8));
    }

    /** A JSON number of the metadata as a whole number; null when absent. */
    private Long whole(String number, String field, long row) {
        if (number == null) {
            return null;
        }
        try {
            return new BigDecimal(number).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CorruptDataException("rate_limits row " + row + " in " + db.location() + " has metadata "
                    + field + " " + number + ", which is not a whole number", e);
        }
    }

    @Override
    public Optional<RateLimit> find(String platform) {
        var key = HyperpageReads.rateLimitId(platform);
        return db.read("find rate limit " + key, h -> h.createQuery(HyperpagePostgresSql.FIND_RATE_LIMIT)
                .bind("key", key).map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<RateLimit> list() {
        return db.read("list rate_limits", h -> h.createQuery(HyperpagePostgresSql.LIST_RATE_LIMITS)
                .map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public RateLimit update(String platform, Long remaining, Long total, Instant resetTime) {
        throw PostgresHyperpageStore.refused(db, "save the rate limit of " + platform);
    }

    @Override
    public boolean delete(String platform) {
        throw PostgresHyperpageStore.refused(db, "delete the rate limit of " + platform);
    }
}
