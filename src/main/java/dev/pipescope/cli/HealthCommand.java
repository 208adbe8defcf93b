package dev.pipescope.cli;

import dev.pipescope.ops.Health;
import dev.pipescope.Pipescope;
import dev.pipescope.ops.HealthStatus;
import dev.pipescope.ConnectionSettings;
import picocli.CommandLine.Command;

@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Check a database: connectivity, schema and pending migrations, quick_check, sizes, free pages, "
                + "journal mode, busy timeout, last backup age and row counts, with a verdict (healthy, degraded "
                + "or unhealthy) and its reasons. Read-only. Exits 1 when unhealthy.")
final class HealthCommand extends DatabaseCommand {
    @Override
    public Integer call() {
        tidyLeftovers(null);
        try (var db = Pipescope.open(file(), ConnectionSettings.readOnlyDefaults())) {
            var report = Health.check(db);
            if (json) {
                Output.json(out(), report.toJson(Output.mapper()));
            } else {
                Output.table(out(), report.rows());
            }
            return report.status() == HealthStatus.UNHEALTHY ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
        }
    }
}
