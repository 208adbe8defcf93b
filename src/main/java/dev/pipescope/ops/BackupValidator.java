package dev.pipescope.ops;

import dev.pipescope.error.PipescopeException;
import dev.pipescope.sqlite.Migrations;
import dev.pipescope.sqlite.SqliteErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks a backup without changing it; see {@link Backups#validate(Backup, Progress)}. */
final class BackupValidator {
    private BackupValidator() {}

    static ValidationResult validate(Backup backup, Progress progress) {
        var checks = new ArrayList<ValidationResult.Check>();
        var file = backup.file();
        if (!Files.isRegularFile(file)) {
            checks.add(fail("file", "backup file " + file + " is missing"));
            return new ValidationResult(file, checks);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            checks.add(fail("file", "cannot read " + file + ": " + e.getMessage()));
            return new ValidationResult(file, checks);
        }
        checks.add(pass("file", file + " (" + size + " bytes)"));
        // the integrity check (CPU in SQLite) runs beside the SHA-256 (CPU in the JVM): both read the same
        // bytes, so on two cores validation takes as long as the slower of them, not the sum
        var integrity = Background.start("pipescope-integrity-check", () -> integrityChecks(file, backup.metadata()));
        try {
            checkSum(backup, size, progress, checks);
        } catch (RuntimeException e) {
            integrity.joinAfter(e);
            throw e;
        }
        progress.report("integrity check", 0, 1);
        try {
            checks.addAll(integrity.join());
        } catch (SQLException | IOException e) {
            checks.add(fail("integrity", "cannot run integrity_check on " + file + ": " + e.getMessage()));
        }
        progress.report("integrity check", 1, 1);
        return new ValidationResult(file, checks);
    }

    /** The metadata, size and SHA-256 checks. */
    private static void checkSum(Backup backup, long size, Progress progress, List<ValidationResult.Check> checks) {
        var file = backup.file();
        var metadata = backup.metadata();
        if (metadata.isEmpty()) {
            checks.add(fail("metadata", backup.metadataProblem().orElse("no metadata")
                    + "; without it the backup's size and checksum cannot be trusted"));
        } else {
            var recorded = metadata.get();
            checks.add(pass("metadata", backup.metadataFile().toString()));
            checks.add(size == recorded.sizeBytes()
                    ? pass("size", size + " bytes")
                    : fail("size", "file has " + size + " bytes, metadata records " + recorded.sizeBytes()));
            try {
                var sha = SqliteFiles.sha256(file, progress, "checksum");
                checks.add(sha.equals(recorded.sha256())
                        ? pass("sha256", sha)
                        : fail("sha256", "file hashes to " + sha + ", metadata records " + recorded.sha256()));
            } catch (IOException e) {
                checks.add(fail("sha256", "cannot read " + file + ": " + e.getMessage()));
            }
        }
    }

    /** integrity_check and the schema check, or the one failure that says the file cannot be read as SQLite. */
    private static List<ValidationResult.Check> integrityChecks(Path file, Optional<BackupMetadata> metadata) {
        try (var connection = SqliteFiles.immutable(file)) {
            var problems = SqliteFiles.column(connection, OpsSql.INTEGRITY_CHECK);
            boolean ok = problems.equals(List.of("ok"));
            return List.of(ok ? pass("integrity", "ok")
                    : fail("integrity", "integrity_check reports: " + String.join("; ", problems.subList(0,
                    Math.min(5, problems.size())))), schemaCheck(SqliteFiles.schema(connection), metadata));
        } catch (SQLException | PipescopeException e) {
            return List.of(fail("integrity", "not a readable SQLite database: " + SqliteErrors.messageOf(e)));
        }
    }

    private static ValidationResult.Check schemaCheck(SqliteFiles.Schema schema, Optional<BackupMetadata> metadata) {
        if (schema.layouts().isEmpty()) {
            return fail("schema", "tables " + schema.tables() + " match no table layout Pipescope knows");
        }
        int latest = Migrations.latestVersion();
        if (schema.version().isPresent() && schema.version().get() > latest) {
            return fail("schema", "schema version " + schema.version().get() + " is newer than this Pipescope ("
                    + latest + ")");
        }
        if (metadata.isPresent()) {
            var recorded = metadata.get();
            if (!recorded.layouts().equals(schema.layouts())) {
                return fail("schema", "file holds layouts " + schema.layouts() + ", metadata records " + recorded.layouts());
            }
            if (!recorded.schemaVersion().equals(schema.version())) {
                return fail("schema", "file has schema version " + schema.version().map(String::valueOf).orElse("none")
                        + ", metadata records " + recorded.schemaVersion().map(String::valueOf).orElse("none"));
            }
        }
        return pass("schema", schema.layouts() + schema.version().map(v -> ", version " + v).orElse(""));
    }

    private static ValidationResult.Check pass(String name, String detail) {
        return new ValidationResult.Check(name, true, detail);
    }

    private static ValidationResult.Check fail(String name, String detail) {
        return new ValidationResult.Check(name, false, detail);
    }

    static List<String> failedChecks(ValidationResult validation) {
        return validation.failures().stream().map(ValidationResult.Check::name).toList();
    }
}
