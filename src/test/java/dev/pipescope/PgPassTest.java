package dev.pipescope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpq's password file rules, on real files: fields, wildcards, escapes, first match, comments, permissions. */
class PgPassTest {
    @TempDir
    Path dir;
    final List<String> warnings = new ArrayList<>();

    Path pgpass(String mode, String... lines) throws IOException {
        var file = dir.resolve(".pgpass");
        Files.writeString(file, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    Optional<String> password(Path file, String host, int port, String database, String user) {
        return PgPass.lookup(file, host, port, database, user, warnings::add)
                .flatMap(PgPass.Match::password).map(Secret::reveal);
    }

    @Test
    void theFirstMatchingLineWinsAndStarMatchesAnything() throws IOException {
        var file = pgpass("rw-------",
                "# comment: db.internal:5432:fleet:analyst:not-this",
                "",
                "db.internal:5432:fleet:analyst:exact",
                "db.internal:5432:fleet:analyst:second-match",
                "db.internal:*:*:analyst:any-port-any-db",
                "*:*:*:*:fallback",
                "short:line");

        assertEquals(Optional.of("exact"), password(file, "db.internal", 5432, "fleet", "analyst"));
        assertEquals(Optional.of("any-port-any-db"), password(file, "db.internal", 6543, "runs", "analyst"));
        assertEquals(Optional.of("fallback"), password(file, "other", 5432, "fleet", "analyst"));
        assertEquals(Optional.of("fallback"), password(file, "db.internal", 5432, "fleet", "ops"));
        var match = PgPass.lookup(file, "db.internal", 5432, "fleet", "analyst", warnings::add).orElseThrow();
        assertEquals(file + " line 3", match.from());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void backslashEscapesColonsAndBackslashesInEveryField() throws IOException {
        var file = pgpass("rw-------",
                "h:5432:db\\:with\\:colons:u:pw\\:with\\\\backslash",
                "h:5432:\\*:u:literal-star-db",
                "h:5432:plain:u:pw:trailing-field-ignored",
                "h:5432:back\\\\slash:u\\:x:ok");

        assertEquals(Optional.of("pw:with\\backslash"), password(file, "h", 5432, "db:with:colons", "u"));
        assertEquals(Optional.of("literal-star-db"), password(file, "h", 5432, "*", "u"));
        assertEquals(Optional.empty(), password(file, "h", 5432, "anything", "u"), "an escaped * is no wildcard");
        assertEquals(Optional.of("pw"), password(file, "h", 5432, "plain", "u"), "the password ends at an unescaped colon");
        assertEquals(Optional.of("ok"), password(file, "h", 5432, "back\\slash", "u:x"));
        assertEquals(Optional.empty(), password(file, "h", 5432, "db", "u"), "no prefix match: db is not db:with:colons");
    }

    @Test
    void anEmptyPasswordOnTheFirstMatchMeansNone() throws IOException {
        var file = pgpass("rw-------", "h:5432:d:u:", "h:5432:d:u:later");
        var match = PgPass.lookup(file, "h", 5432, "d", "u", warnings::add).orElseThrow();
        assertEquals(Optional.empty(), match.password());
    }

    @Test
    void aFileOthersMayAccessOrThatIsNoPlainFileIsIgnoredWithAWarningWithoutThePassword() throws IOException {
        var file = pgpass("rw-r-----", "h:5432:d:u:Zq7-secret");
        assertEquals(Optional.empty(), password(file, "h", 5432, "d", "u"));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(file.toString()) && warnings.get(0).contains("group or world access")
                && warnings.get(0).contains("chmod 600"), warnings.get(0));
        assertFalse(warnings.get(0).contains("Zq7-secret"));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-----w-"));
        assertEquals(Optional.empty(), password(file, "h", 5432, "d", "u"), "any access of others, as libpq");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals(Optional.of("Zq7-secret"), password(file, "h", 5432, "d", "u"));

        warnings.clear();
        var folder = Files.createDirectories(dir.resolve("folder"));
        assertEquals(Optional.empty(), password(folder, "h", 5432, "d", "u"));
        assertTrue(warnings.get(0).contains("not a plain file"), warnings.toString());

        warnings.clear();
        assertEquals(Optional.empty(), password(dir.resolve("missing"), "h", 5432, "d", "u"));
        assertTrue(warnings.isEmpty(), "no file is no warning: " + warnings);
    }

    @Test
    void pgpassfileNamesTheFileElseHomeDotPgpass() {
        assertEquals(Path.of("/etc/pg/pass"), PgPass.location(Map.of("PGPASSFILE", "/etc/pg/pass"), dir));
        assertEquals(dir.resolve(".pgpass"), PgPass.location(Map.of("PGPASSFILE", ""), dir));
        assertEquals(dir.resolve(".pgpass"), PgPass.location(Map.of(), dir));
    }

    @Test
    void theDefaultWarningGoesToStderrOncePerProcess() throws IOException {
        var file = pgpass("rw-rw-rw-", "h:5432:d:u:pw");
        var env = Map.of("HOME", dir.toString(), "PGPASSFILE", file.toString());
        var captured = new ByteArrayOutputStream();
        var stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DatabaseConfig.of(env).resolve("postgresql://u@h/d");
            DatabaseConfig.of(env).resolve("postgresql://u@h/d");
        } finally {
            System.setErr(stderr);
        }
        var text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().filter(l -> l.contains(file.toString())).count(), text);
        assertTrue(text.startsWith("pipescope: WARNING: password file"), text);
    }
}
