package dev.pipescope.source.hyperpage;

import static dev.pipescope.domain.Arguments.required;

import dev.pipescope.domain.Arguments;
import dev.pipescope.domain.JobStatus;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.InvalidArgumentException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** The rules of reading Hyperpage's tables that hold on either engine, written once. */
final class HyperpageReads {
    private HyperpageReads() {}

    /**
     * The statuses {@code jobs().list(limit, statuses)} asks for (empty: every status).
     *
     * @throws InvalidArgumentException for a limit below 1 or a null status
     */
    static Set<JobStatus> wanted(int limit, JobStatus... statuses) {
        Arguments.validatePage(0, limit);
        var wanted = EnumSet.noneOf(JobStatus.class);
        for (var s : statuses) {
            wanted.add(required(s, "job status"));
        }
        return wanted;
    }

    /**
     * The number of jobs per status, every status present (0 when none), from {@code sql}'s rows of (status, count).
     *
     * @throws CorruptDataException for a status Hyperpage never writes
     */
    static Map<JobStatus, Long> countByStatus(Handle h, String sql, String location) {
        var counts = new EnumMap<JobStatus, Long>(JobStatus.class);
        for (var s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        h.createQuery(sql).map((rs, ctx) -> {
            var word = rs.getString(1);
            var status = JobStatus.parse(word).orElseThrow(() -> new CorruptDataException(
                    "jobs in " + location + " has status '" + word + "', which Hyperpage never writes"));
            counts.put(status, rs.getLong(2));
            return status;
        }).list();
        return counts;
    }

    /** The id (and PostgreSQL key) of a platform's global rate limit: {@code <platform>:global}. */
    static String rateLimitId(String platform) {
        if (platform == null || platform.isBlank()) {
            throw new InvalidArgumentException("platform is blank");
        }
        return platform + ":global";
    }
}
