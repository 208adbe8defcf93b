package dev.pipescope.source.hyperpage;

import dev.pipescope.sqlite.SqliteConnections;

import dev.pipescope.domain.RateLimit;
import dev.pipescope.domain.RateLimits;
import dev.pipescope.error.InvalidArgumentException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Per-platform rate limits. */
final class SqliteRateLimits implements RateLimits {
    private final SqliteConnections db;
    private final Clock clock;

    SqliteRateLimits(SqliteConnections db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private static String idOf(String platform) {
        return HyperpageReads.rateLimitId(platform);
    }

    private RateLimit map(ResultSet rs) throws SQLException {
        return new RateLimit(rs.getString(1), rs.getString(2), SqliteHyperpageStore.nullableLong(rs, 3), SqliteHyperpageStore.nullableLong(rs, 4),
                SqliteHyperpageStore.millis(rs, 5), SqliteHyperpageStore.millis(rs, 6), SqliteHyperpageStore.millis(rs, 7));
    }

    @Override
    public Optional<RateLimit> find(String platform) {
        var id = idOf(platform);
        return db.read("find rate limit " + id, h -> h.createQuery(HyperpageSql.FIND_RATE_LIMIT).bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<RateLimit> list() {
        return db.read("list rate_limits", h -> h.createQuery(HyperpageSql.LIST_RATE_LIMITS)
                .map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public RateLimit update(String platform, Long remaining, Long total, Instant resetTime) {
        var id = idOf(platform);
        if (remaining != null && remaining < 0 || total != null && total < 0) {
            throw new InvalidArgumentException("rate limit of " + platform + " has a negative count: remaining "
                    + remaining + ", total " + total);
        }
        if (remaining != null && total != null && remaining > total) {
            throw new InvalidArgumentException("rate limit of " + platform + ": remaining " + remaining
                    + " exceeds total " + total);
        }
        return db.write("save rate limit " + id + " in rate_limits", h -> {
            h.createUpdate(HyperpageSql.UPSERT_RATE_LIMIT).bind("id", id).bind("platform", platform)
                    .bind("remaining", remaining).bind("total", total).bind("resetTime", SqliteHyperpageStore.toMillis(resetTime))
                    .bind("now", clock.millis()).execute();
            return h.createQuery(HyperpageSql.FIND_RATE_LIMIT).bind("id", id).map((rs, ctx) -> map(rs)).one();
        });
    }

    @Override
    public boolean delete(String platform) {
        var id = idOf(platform);
        return db.write("delete rate limit " + id, h ->
                h.createUpdate(HyperpageSql.DELETE_RATE_LIMIT).bind("id", id).execute() > 0);
    }
}
