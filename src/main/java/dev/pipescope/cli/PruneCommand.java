package dev.pipescope.cli;

import dev.pipescope.ops.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete old backups. A backup is kept when it is among the newest --keep-last, or newer than "
                + "--keep-days; at least one of the two is required.")
final class PruneCommand extends DatabaseCommand {
    @Option(names = "--keep-last", paramLabel = "N", description = "keep the newest N backups")
    Integer keepLast;

    @Option(names = "--keep-days", paramLabel = "D", description = "keep backups newer than D days")
    Integer keepDays;

    @Option(names = "--dry-run", description = "only list what would be deleted")
    boolean dryRun;

    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder (default: backups/ beside the database)")
    Path dir;

    @Override
    public Integer call() {
        tidyLeftovers(dir);
        var policy = new RetentionPolicy(Optional.ofNullable(keepLast),
                Optional.ofNullable(keepDays).map(Duration::ofDays));
        var backups = backups(dir);
        var deleted = dryRun ? backups.expired(policy) : backups.prune(policy);
        if (json) {
            var node = Output.mapper().createObjectNode();
            node.put("dryRun", dryRun);
            var array = node.putArray(dryRun ? "wouldDelete" : "deleted");
            deleted.forEach(b -> array.add(b.file().toString()));
            node.put("kept", backups.list().size() - (dryRun ? deleted.size() : 0));
            Output.json(out(), node);
        } else {
            for (var backup : deleted) {
                out().println((dryRun ? "would delete " : "deleted ") + backup.file());
            }
            out().println((dryRun ? "would delete " : "deleted ") + deleted.size() + " backup(s), kept "
                    + (backups.list().size() - (dryRun ? deleted.size() : 0)));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
