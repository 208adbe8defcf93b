package dev.pipescope.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Take an online, consistent backup (SQLite's backup API) with a metadata JSON beside it: time, "
                + "description, versions, size, SHA-256 and rows per table. Never writes to the database, so it is "
                + "safe on an upstream tool's file and while other programs write.")
final class BackupCommand extends DatabaseCommand {
    @Option(names = {"-m", "--description"}, paramLabel = "TEXT", description = "what this backup is for")
    String description = "";

    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder (default: backups/ beside the database)")
    Path dir;

    @Override
    public Integer call() {
        tidyLeftovers(dir);
        var progress = progress();
        var backup = backups(dir).create(description, progress);
        ProgressBar.finish(progress);
        if (json) {
            Output.json(out(), Output.backup(backup));
        } else {
            var metadata = backup.metadata().orElseThrow();
            out().println("backup written: " + backup.file());
            out().println("size:   " + metadata.sizeBytes() + " bytes");
            out().println("sha256: " + metadata.sha256());
            out().println("rows:   " + metadata.rowCounts());
            out().flush();
        }
        var metadata = backup.metadata().orElseThrow();
        if (!metadata.sourceIntact()) {
            err().println("pipescope backup: warning: " + file() + " fails quick_check: "
                    + String.join("; ", metadata.quickCheck()) + ". The backup was taken (it may be the best copy there "
                    + "is) and its metadata records the problems; it will not pass verify");
            err().flush();
            return ExitCodes.CHECK_FAILED;
        }
        return ExitCodes.OK;
    }
}
