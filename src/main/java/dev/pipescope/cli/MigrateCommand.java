package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.CorruptDataException;
import dev.pipescope.error.NotFoundException;
import dev.pipescope.ops.Health;
import java.util.List;
import dev.pipescope.ops.DatabaseInfo;
import dev.pipescope.ConnectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply pending Pipescope migrations to a Pipescope file; give the adaptive pipeline tool's "
                + "file what recording runs needs (Flyway's history and pipeline_runs; the tool still opens it); "
                + "leave any other tool's file as it is. Creates the database only with --create.")
final class MigrateCommand extends DatabaseCommand {
    @Option(names = "--create", description = "create the database when the file does not exist")
    boolean create;

    @Option(names = "--backup-first", description = "take a backup (in backups/ beside the file) before migrating")
    boolean backupFirst;

    @Option(names = "--dir", paramLabel = "DIR", description = "backups folder for --backup-first (default: backups/ beside the database)")
    Path dir;

    @Override
    boolean mayCreate() {
        return create;
    }

    @Override
    public Integer call() {
        tidyLeftovers(dir);
        var database = file();
        boolean existed = Files.exists(database);
        if (!existed && !create) {
            throw new NotFoundException("no database file at " + database.toAbsolutePath() + " (use --create to create one)");
        }
        Optional<Integer> before = Optional.empty();
        if (existed) {
            var quick = Health.quickCheck(database);
            if (!quick.equals(List.of("ok"))) {
                throw new CorruptDataException("refused to migrate " + database.toAbsolutePath() + ": quick_check "
                        + "reports " + String.join("; ", quick) + ". Migrating would write into a damaged file; "
                        + "restore a backup or repair it first. The file was not changed");
            }
            try (var db = Pipescope.open(database, ConnectionSettings.readOnlyDefaults())) {
                before = DatabaseInfo.of(db).schemaVersion();
            }
        }
        var backup = existed && backupFirst ? Optional.of(backups(dir).create("before migrate", progress())) : Optional.<dev.pipescope.ops.Backup>empty();
        try (var db = Pipescope.open(database)) {
            // another tool's file gains only what run history needs, and only when asked: here
            if (!db.layouts().contains(Layout.PIPESCOPE) && db.layouts().contains(Layout.ADAPTIVE_PIPELINE)) {
                db.addRunHistory();
            }
        }
        DatabaseInfo after;
        try (var db = Pipescope.open(database, ConnectionSettings.readOnlyDefaults())) {
            after = DatabaseInfo.of(db);
        }
        if (json) {
            var node = Output.mapper().createObjectNode();
            node.put("file", after.file().toString());
            node.put("created", !existed);
            before.ifPresentOrElse(v -> node.put("schemaVersionBefore", v), () -> node.putNull("schemaVersionBefore"));
            after.schemaVersion().ifPresentOrElse(v -> node.put("schemaVersion", v), () -> node.putNull("schemaVersion"));
            backup.ifPresent(b -> node.put("backup", b.file().toString()));
            Output.json(out(), node);
        } else {
            backup.ifPresent(b -> out().println("backup taken: " + b.file()));
            out().println((existed ? "migrated " : "created ") + after.file() + ": schema version "
                    + before.map(String::valueOf).orElse("none") + " -> " + after.schemaVersion().map(String::valueOf).orElse("none"));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
