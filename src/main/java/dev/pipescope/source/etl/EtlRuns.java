package dev.pipescope.source.etl;

import dev.pipescope.domain.Run;
import dev.pipescope.domain.RunFilter;
import dev.pipescope.domain.RunSource;
import dev.pipescope.domain.RunStatus;
import dev.pipescope.engine.Dialect;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.source.RunReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The ETL framework's executions, with their attempts, as unified runs. */
final class EtlRuns implements RunReader {
    private final String file;
    private final java.time.ZoneId zone;
    private final Dialect dialect;

    EtlRuns(String file, java.time.ZoneId zone, Dialect dialect) {
        this.file = file;
        this.zone = zone;
        this.dialect = dialect;
    }

    @Override
    public RunSource source() {
        return RunSource.ETL;
    }

    @Override
    public List<Run> read(Handle h, RunFilter filter) {
        return h.createQuery(EtlSql.of(dialect).unified()).bind("from", SqlEtlStore.bound(filter.from(), zone, dialect))
                .bind("to", SqlEtlStore.bound(filter.to(), zone, dialect)).map((rs, ctx) -> {
                    var id = rs.getString(1);
                    var status = rs.getString(4);
                    var start = SqlEtlStore.naive(rs, 6, zone, dialect, "executiontable", id, file);
                    var end = SqlEtlStore.naive(rs, 7, zone, dialect, "executiontable", id, file);
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
}
