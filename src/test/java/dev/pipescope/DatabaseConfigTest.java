package dev.pipescope;

import static dev.pipescope.testing.SecretAssert.assertHidden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipescope.error.ConfigException;
import dev.pipescope.error.InsecureConfigException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.UnknownAliasException;
import dev.pipescope.error.UnreadableConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aliases from a real config file in a temporary home and explicit environment maps: where the file is, what
 * overrides what, where user and password come from, and every bad input as a typed error without the password.
 */
class DatabaseConfigTest {
    static final String SECRET = "Zq7-s3cret-pw9";

    @TempDir
    Path home;
    final List<String> warnings = new ArrayList<>();

    /** The default config file under {@link #home}, private to its owner. */
    Path config(String... lines) throws IOException {
        return write(home.resolve(".config/pipescope/pipescope.properties"), "rw-------", lines);
    }

    static Path write(Path file, String mode, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /** HOME is the temporary home; PGPASSFILE points at nothing unless a test sets it. */
    Map<String, String> env(String... namesAndValues) {
        var env = new HashMap<String, String>();
        env.put("HOME", home.toString());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    DatabaseConfig of(Map<String, String> env) {
        return DatabaseConfig.of(env, warnings::add);
    }

    static DatabaseLocation.Server server(DatabaseLocation location) {
        return assertInstanceOf(DatabaseLocation.Server.class, location);
    }

    // ---- where the file is, and what it says ----

    @Test
    void aFileAliasGivesEverySettingAndKeepsThePasswordOutOfEveryText() throws IOException {
        var file = config(
                "# the fleet database",
                "database.prod.url=postgresql://db.internal:6543/fleet?sslmode=require",
                "database.prod.user=analyst",
                "database.prod.password=" + SECRET,
                "database.prod.pool-size=8",
                "database.prod.connect-timeout-ms=5000",
                "database.prod.statement-timeout-ms=60000");

        var config = of(env());
        var prod = server(config.resolve("prod"));

        assertEquals(List.of("prod"), config.aliases());
        assertEquals(Optional.of(file), config.file());
        var target = prod.target();
        assertEquals("db.internal", target.host());
        assertEquals(6543, target.port());
        assertEquals("fleet", target.database());
        assertEquals(List.of("sslmode=require"), target.parameters());
        assertEquals(Optional.of("analyst"), target.user());
        assertEquals(SECRET, target.password().orElseThrow().reveal());
        assertEquals(8, target.poolSize());
        assertEquals(5000, target.connectTimeoutMs());
        assertEquals(60000, target.statementTimeoutMs());
        assertEquals(Optional.of("prod"), prod.alias());
        assertEquals("database.prod.user (line 3 of " + file + ")", prod.userFrom());
        assertEquals(Optional.of("database.prod.password (line 4 of " + file + ")"), prod.passwordFrom());
        assertEquals("prod: postgresql://analyst@db.internal:6543/fleet", prod.describe());
        assertHidden(SECRET, prod.toString());
        assertHidden(SECRET, config.toString());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void theFileIsPipescopeConfigElseXdgConfigHomeElseDotConfig() throws IOException {
        config("database.home.path=/data/home.db");
        var xdg = write(home.resolve("xdg/pipescope/pipescope.properties"), "rw-------", "database.xdg.path=/data/xdg.db");
        var named = write(home.resolve("elsewhere.properties"), "rw-------", "database.named.path=/data/named.db");

        assertEquals(List.of("home"), of(env()).aliases());
        assertEquals(List.of("home"), of(env("XDG_CONFIG_HOME", "relative/xdg")).aliases(), "XDG says: ignore a relative path");
        assertEquals(List.of("xdg"), of(env("XDG_CONFIG_HOME", home.resolve("xdg").toString())).aliases());
        assertEquals(Optional.of(xdg), of(env("XDG_CONFIG_HOME", home.resolve("xdg").toString())).file());
        assertEquals(List.of("named"), of(env("PIPESCOPE_CONFIG", named.toString(),
                "XDG_CONFIG_HOME", home.resolve("xdg").toString())).aliases());
        assertEquals(List.of("named"), of(env("PIPESCOPE_CONFIG", "~/elsewhere.properties")).aliases());

        var empty = Files.createDirectories(home.resolve("empty-home"));
        var nothing = of(Map.of("HOME", empty.toString()));
        assertEquals(List.of(), nothing.aliases());
        assertEquals(Optional.empty(), nothing.file());
        assertEquals(empty.resolve(".config/pipescope/pipescope.properties"), nothing.defaultFile());
    }

    @Test
    void environmentVariablesOverrideTheFileOneSettingAtATime() throws IOException {
        config("database.prod.url=postgresql://db.internal/fleet",
                "database.prod.user=analyst",
                "database.prod.pool-size=8",
                "database.prod.connect-timeout-ms=5000");

        var prod = server(of(env("PIPESCOPE_DATABASE_PROD_USER", "ops", "PIPESCOPE_DATABASE_PROD_POOL_SIZE", "2",
                "PIPESCOPE_DATABASE_PROD_STATEMENT_TIMEOUT_MS", "1500")).resolve("prod"));

        assertEquals(Optional.of("ops"), prod.target().user());
        assertEquals("PIPESCOPE_DATABASE_PROD_USER", prod.userFrom());
        assertEquals(2, prod.target().poolSize());
        assertEquals(5000, prod.target().connectTimeoutMs(), "not overridden: the file's");
        assertEquals(1500, prod.target().statementTimeoutMs());
        assertEquals("db.internal", prod.target().host());
    }

    @Test
    void theEnvironmentAloneDefinesAnAliasAndNamesIgnoreCaseAndDashes() throws IOException {
        config("database.prod-eu.url=postgresql://eu.internal/fleet");
        var config = of(env("PIPESCOPE_DATABASE_PROD_EU_USER", "eu-analyst",
                "PIPESCOPE_DATABASE_STAGING_URL", "postgresql://staging.internal:5433/fleet",
                "PIPESCOPE_DATABASE_EMPTY_URL", ""));

        assertEquals(List.of("prod-eu", "staging"), config.aliases(), "an empty variable is unset");
        var eu = server(config.resolve("PROD_EU"));
        assertEquals("eu.internal", eu.target().host());
        assertEquals(Optional.of("eu-analyst"), eu.target().user());
        assertEquals(Optional.of("prod-eu"), eu.alias());
        assertEquals(5433, server(config.resolve("Staging")).target().port());
        assertTrue(config.defines("prod_eu"));
        assertFalse(config.defines("prod"));
    }

    @Test
    void anEnvironmentLocationReplacesTheFilesLocation() throws IOException {
        config("database.prod.path=/data/prod.db");
        var moved = server(of(env("PIPESCOPE_DATABASE_PROD_URL", "postgresql://db.internal/fleet")).resolve("prod"));
        assertEquals("fleet", moved.target().database());

        config("database.prod.url=postgresql://db.internal/fleet");
        var local = assertInstanceOf(DatabaseLocation.File.class,
                of(env("PIPESCOPE_DATABASE_PROD_PATH", "/tmp/prod-copy.db")).resolve("prod"));
        assertEquals(Path.of("/tmp/prod-copy.db"), local.path());
    }

    @Test
    void aFilePathIsRelativeToTheConfigFolderAndTildeIsHome() throws IOException {
        var file = config("database.rel.path=runs/pipeline.db", "database.tilde.path=~/data/x.db",
                "database.abs.path=/srv/abs.db");
        var config = of(env("PIPESCOPE_DATABASE_ENVREL_PATH", "envrel.db"));

        assertEquals(new DatabaseLocation.File(file.getParent().resolve("runs/pipeline.db"), Optional.of("rel")),
                config.resolve("rel"));
        assertEquals(home.resolve("data/x.db"), ((DatabaseLocation.File) config.resolve("tilde")).path());
        assertEquals(Path.of("/srv/abs.db"), ((DatabaseLocation.File) config.resolve("abs")).path());
        assertEquals(Path.of("envrel.db"), ((DatabaseLocation.File) config.resolve("envrel")).path(),
                "a variable's relative path is relative to the working directory, as any path a user types");
        assertEquals("rel: " + file.getParent().resolve("runs/pipeline.db"), config.resolve("rel").describe());
    }

    // ---- user and password precedence ----

    @Test
    void theUserComesFromTheVariableTheFileTheUrlPguserThenTheSystem() throws IOException {
        var file = config("database.a.url=postgresql://urluser@h/d", "database.a.user=fileuser",
                "database.b.url=postgresql://urluser@h/d",
                "database.c.url=postgresql://h/d");
        var env = env("PIPESCOPE_DATABASE_A_USER", "envuser", "PGUSER", "pguser");
        var config = of(env);

        assertEquals(List.of("envuser", "PIPESCOPE_DATABASE_A_USER"), user(config.resolve("a")));
        env.remove("PIPESCOPE_DATABASE_A_USER");
        assertEquals(List.of("fileuser", "database.a.user (line 2 of " + file + ")"), user(of(env).resolve("a")));
        assertEquals(List.of("urluser", "the URL in database.b.url (line 3 of " + file + ")"), user(of(env).resolve("b")));
        assertEquals(List.of("pguser", "PGUSER"), user(of(env).resolve("c")));
        env.remove("PGUSER");
        assertEquals(List.of(System.getProperty("user.name"), "the operating system user"), user(of(env).resolve("c")));
    }

    private static List<String> user(DatabaseLocation location) {
        var server = server(location);
        return List.of(server.target().user().orElseThrow(), server.userFrom());
    }

    @Test
    void thePasswordComesFromTheVariableTheFileTheUrlPgpasswordThenPgpass() throws IOException {
        var file = config("database.a.url=postgresql://u@h:5432/d", "database.a.password=from-file",
                "database.b.url=postgresql://u:from-url@h:5432/d",
                "database.c.url=postgresql://u@h:5432/d");
        var pgpass = write(home.resolve(".pgpass"), "rw-------", "h:5432:d:u:from-pgpass");
        var env = env("PIPESCOPE_DATABASE_A_PASSWORD", "from-env", "PGPASSWORD", "from-pgpassword");

        assertEquals(List.of("from-env", "PIPESCOPE_DATABASE_A_PASSWORD"), password(of(env).resolve("a")));
        env.remove("PIPESCOPE_DATABASE_A_PASSWORD");
        assertEquals(List.of("from-file", "database.a.password (line 2 of " + file + ")"), password(of(env).resolve("a")),
                "the alias's own password wins over libpq's PGPASSWORD, as a connection string's does in libpq");
        assertEquals(List.of("from-url", "the URL in database.b.url (line 3 of " + file + ")"), password(of(env).resolve("b")));
        assertEquals(List.of("from-pgpassword", "PGPASSWORD"), password(of(env).resolve("c")));
        env.remove("PGPASSWORD");
        assertEquals(List.of("from-pgpass", pgpass + " line 1"), password(of(env).resolve("c")));
        Files.delete(pgpass);
        var none = server(of(env).resolve("c"));
        assertEquals(Optional.empty(), none.target().password());
        assertEquals(Optional.empty(), none.passwordFrom());
    }

    private static List<String> password(DatabaseLocation location) {
        var server = server(location);
        return List.of(server.target().password().orElseThrow().reveal(), server.passwordFrom().orElseThrow());
    }

    @Test
    void aUrlGivenDirectlyTakesItsCredentialsFromTheUrlPgEnvironmentAndPgpassfile() throws IOException {
        var pgpass = write(home.resolve("secrets/pgpass"), "rw-------", "db.internal:5432:fleet:pguser:" + SECRET);
        var env = env("PGUSER", "pguser", "PGPASSFILE", pgpass.toString());

        var fromPgpass = server(of(env).resolve("postgresql://db.internal/fleet"));
        assertEquals(Optional.of("pguser"), fromPgpass.target().user());
        assertEquals(SECRET, fromPgpass.target().password().orElseThrow().reveal());
        assertEquals(Optional.of(pgpass + " line 1"), fromPgpass.passwordFrom());
        assertEquals(Optional.empty(), fromPgpass.alias());

        var fromUrl = server(of(env).resolve("jdbc:postgresql://db.internal/fleet?user=u&password=p"));
        assertEquals(List.of("u", "the URL"), List.of(fromUrl.target().user().orElseThrow(), fromUrl.userFrom()));
        assertEquals(Optional.of("the URL"), fromUrl.passwordFrom());
        assertEquals(DatabaseConfig.of(env).resolve("postgres://db.internal/fleet"), fromPgpass,
                "postgres:// is postgresql://");
    }

    // ---- names, URLs and paths ----

    @Test
    void aNameIsAUrlAnAliasAFileOrAPath() throws IOException {
        config("database.prod.path=/data/prod.db");
        var config = of(env());

        assertEquals(new DatabaseLocation.File(Path.of("/x/y.db"), Optional.empty()), config.resolve("/x/y.db"));
        assertEquals(new DatabaseLocation.File(Path.of("runs/y.db"), Optional.empty()), config.resolve(" runs/y.db "));
        assertEquals(new DatabaseLocation.File(home.resolve("y.db"), Optional.empty()), config.resolve("~/y.db"));
        assertEquals(new DatabaseLocation.File(Path.of("demo.db"), Optional.empty()), config.resolve("demo.db"),
                "a dot makes it a path: aliases have none");
        assertEquals(Optional.of("prod"), config.resolve("prod").alias());

        // a file in the working directory whose name looks like an alias opens when no alias has its name
        var cwdFile = Files.createTempFile(Path.of("").toAbsolutePath(), "aliaslike", "");
        try {
            var name = cwdFile.getFileName().toString();
            assertEquals(new DatabaseLocation.File(Path.of(name), Optional.empty()), config.resolve(name));
        } finally {
            Files.delete(cwdFile);
        }
        assertThrows(InvalidArgumentException.class, () -> config.resolve("  "));
        assertThrows(InvalidArgumentException.class, () -> config.resolve(null));
    }

    @Test
    void pathsAndUrlsResolveWhateverStateTheConfigFileIsIn() throws IOException {
        config("database.prod.pool-size=four");
        var config = of(env());

        assertEquals(Path.of("/x.db"), ((DatabaseLocation.File) config.resolve("/x.db")).path());
        assertEquals("fleet", server(config.resolve("postgresql://u@h/fleet")).target().database());
        assertThrows(ConfigException.class, () -> config.resolve("prod"));
    }

    // ---- bad input: a typed error that names what is wrong, never the password ----

    @Test
    void anUnknownAliasListsTheKnownOnesAndWhereTheyWereRead() throws IOException {
        var file = config("database.prod.url=postgresql://u:" + SECRET + "@h/d", "database.dev.path=/data/dev.db");
        var e = assertHidden(SECRET, assertThrows(UnknownAliasException.class,
                () -> of(env("PIPESCOPE_DATABASE_STAGING_URL", "postgresql://u:" + SECRET + "@s/d")).resolve("prodd")));

        assertEquals("prodd", e.alias());
        assertEquals(List.of("dev", "prod", "staging"), e.known());
        assertTrue(e.getMessage().contains("'prodd'") && e.getMessage().contains("dev, prod, staging")
                && e.getMessage().contains(file.toString()) && e.getMessage().contains("./prodd"), e.getMessage());

        var none = assertThrows(UnknownAliasException.class, () -> of(Map.of("HOME", home.resolve("nohome").toString()))
                .resolve("prod"));
        assertTrue(none.getMessage().contains("none are defined") && none.getMessage().contains("nohome"), none.getMessage());
    }

    @Test
    void aMalformedNumberNamesTheFileTheKeyAndTheLine() throws IOException {
        var file = config("database.prod.url=postgresql://u@h/d", "database.prod.password=" + SECRET, "",
                "database.prod.pool-size=four");
        var e = assertHidden(SECRET, assertThrows(ConfigException.class, () -> of(env()).resolve("prod")));
        assertEquals("database.prod.pool-size", e.key());
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().contains("database.prod.pool-size") && e.getMessage().contains("'four'")
                && e.getMessage().contains("line 4 of " + file), e.getMessage());

        config("database.prod.url=postgresql://u@h/d", "database.prod.password=" + SECRET, "database.prod.pool-size=0");
        var zero = assertHidden(SECRET, assertThrows(ConfigException.class, () -> of(env()).aliases()));
        assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());

        config("database.prod.url=postgresql://u@h/d", "database.prod.statement-timeout-ms=-5");
        var negative = assertThrows(ConfigException.class, () -> of(env()).aliases());
        assertTrue(negative.getMessage().contains("database.prod.statement-timeout-ms") && negative.getMessage().contains("-5"),
                negative.getMessage());

        Files.delete(file);
        var variable = assertHidden(SECRET, assertThrows(ConfigException.class, () -> of(env(
                "PIPESCOPE_DATABASE_X_URL", "postgresql://u:" + SECRET + "@h/d",
                "PIPESCOPE_DATABASE_X_CONNECT_TIMEOUT_MS", "5s")).resolve("x")));
        assertEquals("environment", variable.source());
        assertEquals("PIPESCOPE_DATABASE_X_CONNECT_TIMEOUT_MS", variable.key());
        assertTrue(variable.getMessage().contains("'5s'"), variable.getMessage());
    }

    @Test
    void unknownKeysStrayLinesDuplicatesEmptyValuesAndBadAliasNamesAreRefused() throws IOException {
        assertRefused("line 2", "database.prod.pasword", List.of("database.prod.url=postgresql://u@h/d",
                "database.prod.pasword=" + SECRET));
        assertRefused("line 3", "", List.of("database.prod.url=postgresql://u@h/d", "# a password pasted alone:", SECRET));
        assertRefused("lines 1, 3", "database.prod.password", List.of("database.prod.password=" + SECRET,
                "database.prod.url=postgresql://u@h/d", "database.prod.password=" + SECRET + "2"));
        assertRefused("is empty", "database.prod.user", List.of("database.prod.url=postgresql://u@h/d", "database.prod.user="));
        assertRefused("only letters, digits", "database.prod.eu.url", List.of("database.prod.eu.url=postgresql://u@h/d"));
        assertRefused("same alias", "database.Prod.user", List.of("database.prod.url=postgresql://u@h/d",
                "database.Prod.user=x"));
        assertRefused("both say where", "database.prod.url", List.of("database.prod.url=postgresql://u@h/d",
                "database.prod.path=/x.db"));
        assertRefused("no url or path", "database.prod.password", List.of("database.prod.password=" + SECRET));
        assertRefused("applies to a server", "database.prod.password", List.of("database.prod.path=/x.db",
                "database.prod.password=" + SECRET));
        assertRefused("keep one", "database.prod.password", List.of("database.prod.url=postgresql://u:" + SECRET + "@h/d",
                "database.prod.password=" + SECRET));
        assertRefused("\\uXXXX", "", List.of("database.prod.url=postgresql://u@h/d", "database.prod.user=\\u12"));
    }

    private void assertRefused(String says, String key, List<String> lines) throws IOException {
        var file = config(lines.toArray(String[]::new));
        var e = assertHidden(SECRET, assertThrows(ConfigException.class, () -> of(env()).aliases(), lines.toString()));
        assertTrue(e.getMessage().contains(says) && e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(key, e.key(), e.getMessage());
    }

    @Test
    void environmentVariablesThatAreNotAliasSettingsAreRefusedWithoutTheirValue() {
        var typo = assertHidden(SECRET, assertThrows(ConfigException.class,
                () -> of(env("PIPESCOPE_DATABASE_PROD_PASWORD", SECRET)).aliases()));
        assertEquals("PIPESCOPE_DATABASE_PROD_PASWORD", typo.key());
        assertTrue(typo.getMessage().contains("PIPESCOPE_DATABASE_PROD_PASWORD"), typo.getMessage());

        var noAlias = assertThrows(ConfigException.class, () -> of(env("PIPESCOPE_DATABASE__URL", "postgresql://h/d")).aliases());
        assertTrue(noAlias.getMessage().contains("names no alias"), noAlias.getMessage());

        var passwordOnly = assertHidden(SECRET, assertThrows(ConfigException.class,
                () -> of(env("PIPESCOPE_DATABASE_PROD_PASSWORD", SECRET)).resolve("prod")));
        assertTrue(passwordOnly.getMessage().contains("no url or path") && passwordOnly.getMessage().contains("PIPESCOPE_DATABASE_PROD_URL"),
                passwordOnly.getMessage());

        var twice = assertThrows(ConfigException.class, () -> of(env("PIPESCOPE_DATABASE_prod_URL", "postgresql://h/d",
                "PIPESCOPE_DATABASE_PROD_URL", "postgresql://h/d")).aliases());
        assertTrue(twice.getMessage().contains("keep one"), twice.getMessage());
    }

    @Test
    void aUrlThatDoesNotParseNamesItsKeyAndBlanksThePassword() throws IOException {
        var file = config("database.prod.url=postgresql://analyst:" + SECRET + "@db.internal");
        var noDatabase = assertHidden(SECRET, assertThrows(ConfigException.class, () -> of(env()).resolve("prod")));
        assertTrue(noDatabase.getMessage().contains("database.prod.url (line 1 of " + file + ")")
                && noDatabase.getMessage().contains("names no database")
                && noDatabase.getMessage().contains("analyst:****@db.internal"), noDatabase.getMessage());

        config("database.prod.url=mysql://db.internal/fleet");
        var otherScheme = assertThrows(ConfigException.class, () -> of(env()).resolve("prod"));
        assertTrue(otherScheme.getMessage().contains("not a PostgreSQL URL") && otherScheme.getMessage().contains("database.prod.path"),
                otherScheme.getMessage());

        // given directly: a password holding URL characters is blanked whole
        for (var password : List.of(SECRET + "@x", SECRET + "/x", SECRET + ":x", SECRET + "?x")) {
            var url = "postgresql://analyst:" + password + "@db.internal:port/fleet";
            var direct = assertHidden(SECRET, assertThrows(InvalidArgumentException.class, () -> of(env()).resolve(url)));
            assertTrue(direct.getMessage().contains("postgresql://analyst:****@db.internal:port/fleet"), direct.getMessage());
        }
    }

    @Test
    void anUnreadableConfigFileIsNamed() throws IOException {
        var missing = home.resolve("missing.properties");
        var e = assertThrows(UnreadableConfigException.class, () -> of(env("PIPESCOPE_CONFIG", missing.toString())).aliases());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(missing.toString(), e.source());

        var folder = Files.createDirectories(home.resolve(".config/pipescope/pipescope.properties"));
        var directory = assertThrows(UnreadableConfigException.class, () -> of(env()).resolve("prod"));
        assertTrue(directory.getMessage().contains(folder.toString()) && directory.getMessage().contains("not a regular file"),
                directory.getMessage());
        Files.delete(folder);

        var latin1 = home.resolve("latin1.properties");
        Files.write(latin1, ("database.prod.url=postgresql://h/d\ndatabase.prod.password=" + SECRET + "\u00e9\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.setPosixFilePermissions(latin1, PosixFilePermissions.fromString("rw-------"));
        var notUtf8 = assertHidden(SECRET, assertThrows(UnreadableConfigException.class,
                () -> of(env("PIPESCOPE_CONFIG", latin1.toString())).aliases()));
        assertTrue(notUtf8.getMessage().contains("not UTF-8") && notUtf8.getMessage().contains(latin1.toString()),
                notUtf8.getMessage());
    }

    @Test
    void aConfigFileWithAPasswordThatOthersMayReadIsRefused() throws IOException {
        var file = config("database.prod.url=postgresql://u@h/d", "database.prod.password=" + SECRET);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertHidden(SECRET, assertThrows(InsecureConfigException.class, () -> of(env()).resolve("prod")));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("chmod 600")
                && e.getMessage().contains("database.prod.password") && e.getMessage().contains("rw-r--r--"), e.getMessage());

        config("database.prod.url=postgresql://u:" + SECRET + "@h/d");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        var inUrl = assertHidden(SECRET, assertThrows(InsecureConfigException.class, () -> of(env()).resolve("prod")));
        assertEquals("database.prod.url", inUrl.key());

        // a group-writable but unreadable file, or one without a password, is no secret's risk
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
        assertEquals(SECRET, server(of(env()).resolve("prod")).target().password().orElseThrow().reveal());
        config("database.prod.url=postgresql://u@h/d");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("h", server(of(env()).resolve("prod")).target().host());
    }

    @Test
    void opensDispatchOnTheLocation(@TempDir Path dir) {
        var file = dir.resolve("opened.db");
        try (var db = Pipescope.open(new DatabaseLocation.File(file, Optional.of("local")))) {
            assertEquals(Optional.of(file), db.path());
            assertFalse(db.readOnly());
        }
        try (var db = Pipescope.openReadOnly(file.toString())) {
            assertTrue(db.readOnly());
        }
        // a server that is not there: whatever the engine says (or that there is none), never the password
        var unreachable = server(of(env()).resolve("postgresql://analyst:" + SECRET + "@127.0.0.1:1/fleet"));
        assertHidden(SECRET, assertThrows(dev.pipescope.error.PipescopeException.class, () -> Pipescope.openReadOnly(unreachable)));
    }
}
