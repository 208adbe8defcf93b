package dev.pipescope.source.etl;

import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.source.RunReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The ETL framework's executions, with their attempts, as unified runs. */
final class EtlRuns implements RunReader {
    private final String file;
    private final java.time.ZoneId zone;

    EtlRuns(String file, java.time.ZoneId zone) {
        this.file = file;
        this.zone = zone;
    }

    @Override
    public RunSource source() {
        return RunSource.ETL;
    }

    @Override
    public List<Run> read(Handle h, RunFilter filter) {
        return h.createQuery(EtlSql.UNIFIED).bind("from", SqliteEtlStore.datetime(filter.from(), zone))
                .bind("to", SqliteEtlStore.datetime(filter.to(), zone)).map((rs, ctx) -> {
                    var id = rs.getString(1);
                    var status = rs.getString(4);
                    var start = time(rs.getString(6), id);
                    var end = time(rs.getString(7), id);
                    var unified = switch (status == null ? "" : status) {
                        case "RUNNING" -> RunStatus.RUNNING;
                        case "SUCCESS" -> RunStatus.SUCCEEDED;
                        case "FAILED" -> RunStatus.FAILED;
                        default -> throw new CorruptDataException("executiontable row " + id + " in " + file
                                + " has status '" + status + "'; the ETL framework writes RUNNING, SUCCESS or FAILED");
                    };
                    var name = rs.getString(8) == null ? rs.getString(2) : rs.getString(8);
                    return new Run(RunSource.ETL, id, rs.getString(2), name, unified, status, start, end,
                            start == null || end == null ? null : Duration.between(start, end),
                            Math.max(1, rs.getInt(9)), rs.getString(5), Map.of());
                }).list();
    }

    private Instant time(String text, String id) {
        try {
            return Timestamps.parseNaive(text, zone);
        } catch (CorruptDataException e) {
            throw new CorruptDataException("executiontable row " + id + " in " + file + ": " + e.getMessage(), e);
        }
    }
}
