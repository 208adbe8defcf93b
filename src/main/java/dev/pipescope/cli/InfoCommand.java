package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.ops.DatabaseInfo;
import dev.pipescope.ConnectionSettings;
import picocli.CommandLine.Command;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a database's file, size, layouts, schema version and rows per table (read-only, fast).")
final class InfoCommand extends DatabaseCommand {
    @Override
    public Integer call() {
        tidyLeftovers(null);
        try (var db = Pipescope.open(database, ConnectionSettings.readOnlyDefaults())) {
            var info = DatabaseInfo.of(db);
            if (json) {
                Output.json(out(), info.toJson(Output.mapper()));
            } else {
                Output.table(out(), info.rows());
            }
        }
        return ExitCodes.OK;
    }
}
