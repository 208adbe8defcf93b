package dev.pipescope.cli;

import dev.pipescope.domain.Timestamps;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backups", mixinStandardHelpOptions = true,
        description = "List a database's backups, newest first (those with missing metadata too).")
final class BackupsCommand extends DatabaseCommand {
    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder (default: backups/ beside the database)")
    Path dir;

    @Override
    public Integer call() {
        tidyLeftovers(dir);
        var backups = backups(dir);
        var list = backups.list();
        var unexplained = backups.unexplained();
        if (json) {
            var array = Output.mapper().createArrayNode();
            list.forEach(b -> array.add(Output.backup(b)));
            Output.json(out(), array);
            // stdout stays the list scripts read; what cannot be explained is said where people look
            unexplained.forEach(f -> err().println("pipescope backups: not a backup, nor a file of a run in progress: " + f));
            err().flush();
            return ExitCodes.OK;
        }
        if (list.isEmpty()) {
            out().println("no backups of " + backups.database() + " in " + backups.directory());
        }
        for (var backup : list) {
            var size = backup.metadata().map(m -> String.valueOf(m.sizeBytes())).orElse("?");
            var note = backup.metadata().isPresent() ? backup.description()
                    : "(" + backup.metadataProblem().orElse("no metadata") + ")";
            out().printf("%-40s  %-30s  %12s  %s%n", backup.name(), Timestamps.format(backup.createdAt()), size, note);
        }
        for (var file : unexplained) {
            out().println("not a backup, nor a file of a run in progress: " + file);
        }
        out().flush();
        return ExitCodes.OK;
    }
}
