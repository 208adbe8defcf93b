package dev.pipescope.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Replace the database with a backup. The backup is validated first; the database must not be "
                + "open anywhere else (exit 4 otherwise); a safety backup of the current content is taken; the "
                + "file is swapped atomically and checked. On any failure the database is left as it was.")
final class RestoreCommand extends DatabaseCommand {
    @Parameters(index = "1", paramLabel = "BACKUP", description = "backup file name (as 'backups' lists it) or path")
    String backupName;

    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder (default: backups/ beside the database)")
    Path dir;

    @Override
    public Integer call() {
        var backups = backups(dir);
        var backup = backups.get(backupName);
        var progress = progress();
        var result = backups.restore(backup, progress);
        ProgressBar.finish(progress);
        if (json) {
            var node = Output.MAPPER.createObjectNode();
            node.put("database", result.database().toString());
            node.put("restoredFrom", backup.file().toString());
            result.safetyBackup().ifPresentOrElse(b -> node.put("safetyBackup", b.file().toString()),
                    () -> node.putNull("safetyBackup"));
            result.damagedFileKept().ifPresent(p -> node.put("damagedFileKept", p.toString()));
            Output.json(out(), node);
        } else {
            out().println("restored " + result.database() + " from " + backup.file());
            result.safetyBackup().ifPresent(b -> out().println("previous content saved as " + b.file()));
            result.damagedFileKept().ifPresent(p -> out().println("the unreadable previous file was kept as " + p));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
