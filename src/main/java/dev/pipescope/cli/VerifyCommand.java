package dev.pipescope.cli;

import dev.pipescope.error.NotFoundException;
import dev.pipescope.ops.Backup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Validate backups: file present, size and SHA-256 as recorded, integrity_check ok, schema known. "
                + "Checks the newest backup unless BACKUP or --all is given. Exits 1 if any is invalid.")
final class VerifyCommand extends DatabaseCommand {
    @Parameters(index = "1..*", paramLabel = "BACKUP", description = "backup file names (as 'backups' lists them) or paths")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "verify every backup of the database")
    boolean all;

    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder (default: backups/ beside the database)")
    Path dir;

    @Override
    public Integer call() {
        tidyLeftovers(dir);
        var backups = backups(dir);
        List<Backup> chosen = new ArrayList<>();
        if (all) {
            chosen.addAll(backups.list());
        }
        names.forEach(n -> chosen.add(backups.get(n)));
        if (!all && names.isEmpty()) {
            chosen.add(backups.latest().orElseThrow(() -> new NotFoundException(
                    "no backups of " + backups.database() + " in " + backups.directory())));
        }
        if (chosen.isEmpty()) {
            throw new NotFoundException("no backups of " + backups.database() + " in " + backups.directory());
        }
        boolean allValid = true;
        var array = Output.mapper().createArrayNode();
        for (var backup : chosen) {
            var progress = progress();
            var result = backups.validate(backup, progress);
            ProgressBar.finish(progress);
            allValid &= result.ok();
            if (json) {
                array.add(Output.validation(result));
            } else {
                Output.validation(out(), result);
            }
        }
        if (json) {
            Output.json(out(), array);
        }
        return allValid ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
