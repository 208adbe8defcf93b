package dev.pipescope.cli;

import dev.pipescope.DatabaseLocation;
import dev.pipescope.Pipescope;
import dev.pipescope.ops.DatabaseInfo;
import dev.pipescope.ConnectionSettings;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a database's file, size, layouts, schema version and rows per table (read-only, fast). "
                + "DATABASE may also be an alias or a postgresql:// URL: a server database shows where it is, who "
                + "connects and its layouts.")
final class InfoCommand extends DatabaseCommand {
    @Override
    public Integer call() {
        if (location() instanceof DatabaseLocation.Server server) {
            return serverInfo(server);
        }
        tidyLeftovers(null);
        try (var db = Pipescope.open(file(), ConnectionSettings.readOnlyDefaults())) {
            var info = DatabaseInfo.of(db);
            if (json) {
                Output.json(out(), info.toJson(Output.mapper()));
            } else {
                Output.table(out(), info.rows());
            }
        }
        return ExitCodes.OK;
    }

    /** A server database, opened read-only: where it is, whose credentials, and its layouts (never the password). */
    private int serverInfo(DatabaseLocation.Server server) {
        try (var db = Pipescope.openReadOnly(server)) {
            var layouts = new TreeSet<>(db.layouts());
            if (json) {
                var node = Output.mapper().createObjectNode();
                node.put("database", server.target().location());
                server.alias().ifPresent(a -> node.put("alias", a));
                node.put("userFrom", server.userFrom());
                server.passwordFrom().ifPresentOrElse(p -> node.put("passwordFrom", p), () -> node.putNull("passwordFrom"));
                var names = node.putArray("layouts");
                layouts.forEach(l -> names.add(l.name()));
                Output.json(out(), node);
            } else {
                Output.table(out(), List.of(
                        Map.entry("database", server.describe()),
                        Map.entry("user", server.target().user().orElse("") + ", from " + server.userFrom()),
                        Map.entry("password", server.passwordFrom().map(p -> "from " + p).orElse("none")),
                        Map.entry("layouts", layouts.isEmpty() ? "none" : layouts.toString())));
            }
        }
        return ExitCodes.OK;
    }
}
