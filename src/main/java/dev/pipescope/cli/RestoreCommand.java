package dev.pipescope.cli;

import dev.pipescope.ops.RestoreOptions;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Replace the database with a backup. The backup is validated first; the database must not be "
                + "open anywhere else (exit 4 otherwise); a safety backup of the current content is taken; the "
                + "backup is copied in as one SQLite transaction and checked. On any failure the database is left as it "
                + "was. A directory is refused; through a symbolic link its target is restored.")
final class RestoreCommand extends DatabaseCommand {
    @Parameters(index = "1", paramLabel = "BACKUP", description = "backup file name (as 'backups' lists it) or path")
    String backupName;

    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder (default: backups/ beside the database)")
    Path dir;

    @Option(names = "--force", description = "also replace a file that is not provably a SQLite database (unreadable, "
            + "not SQLite, corrupt schema); it is moved aside to NAME.damaged-TIME, never deleted")
    boolean force;

    @Option(names = "--create", description = "create the database from the backup when no file exists")
    boolean create;

    @Override
    boolean mayCreate() {
        return create;
    }

    @Override
    public Integer call() {
        tidyLeftovers(dir);
        var backups = backups(dir);
        var backup = backups.get(backupName);
        var progress = progress();
        var options = RestoreOptions.DEFAULT;
        options = force ? options.forced() : options;
        options = create ? options.creatingMissing() : options;
        var result = backups.restore(backup, options, progress);
        ProgressBar.finish(progress);
        if (json) {
            var node = Output.mapper().createObjectNode();
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
