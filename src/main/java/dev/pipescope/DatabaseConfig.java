package dev.pipescope;

import dev.pipescope.error.ConfigException;
import dev.pipescope.error.InsecureConfigException;
import dev.pipescope.error.InvalidArgumentException;
import dev.pipescope.error.UnknownAliasException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Databases named by alias, and how a name, URL or path becomes a {@link DatabaseLocation}.
 *
 * <h2>Where aliases come from</h2>
 * A config file in {@code java.util.Properties} syntax (UTF-8): {@code $PIPESCOPE_CONFIG} when set, else
 * {@code $XDG_CONFIG_HOME/pipescope/pipescope.properties} ({@code ~/.config/pipescope/pipescope.properties} when
 * {@code XDG_CONFIG_HOME} is unset, empty or relative). No file at the default place is no aliases; a
 * {@code PIPESCOPE_CONFIG} naming no file is an error.
 * <pre>
 * database.prod.url=postgresql://db.internal:5432/fleet
 * database.prod.user=analyst
 * database.prod.pool-size=8
 * database.prod.connect-timeout-ms=5000
 * database.prod.statement-timeout-ms=60000
 * database.laptop.path=~/runs/pipeline.db
 * </pre>
 * and environment variables {@code PIPESCOPE_DATABASE_<ALIAS>_<SETTING>} ({@code PIPESCOPE_DATABASE_PROD_URL},
 * {@code _PATH}, {@code _USER}, {@code _PASSWORD}, {@code _POOL_SIZE}, {@code _CONNECT_TIMEOUT_MS},
 * {@code _STATEMENT_TIMEOUT_MS}), which define an alias on their own or override the file's. Alias names ignore
 * case, and {@code -} and {@code _} are alike ({@code prod-eu} is {@code PIPESCOPE_DATABASE_PROD_EU_URL}). A file
 * path may start with {@code ~/}; a relative one in the file is relative to the file's folder. An environment
 * variable set to the empty string counts as unset.
 *
 * <h2>Precedence, for each setting separately (first found wins)</h2>
 * <ul>
 *   <li>where: {@code PIPESCOPE_DATABASE_<ALIAS>_URL} or {@code _PATH}, else the file's {@code url} or {@code path}
 *       (one of the two in each place);</li>
 *   <li>user: {@code PIPESCOPE_DATABASE_<ALIAS>_USER}, the file's {@code user}, the user in the URL, libpq's
 *       {@code PGUSER}, the operating system user (as libpq);</li>
 *   <li>password: {@code PIPESCOPE_DATABASE_<ALIAS>_PASSWORD}, the file's {@code password}, the password in the
 *       URL, libpq's {@code PGPASSWORD}, the first matching line of libpq's password file ({@code $PGPASSFILE},
 *       else {@code ~/.pgpass}; ignored with a warning when its group or others have any access, as libpq does),
 *       else none;</li>
 *   <li>pool size and timeouts: the environment, the file, else {@link ServerTarget}'s defaults.</li>
 * </ul>
 * A URL given directly ({@code open("postgresql://...")}) takes its user and password the same way from the
 * URL on: {@code PGUSER}, the operating system user; {@code PGPASSWORD}, the password file.
 *
 * <h2>Secrets</h2>
 * A config file that holds a password (a {@code password} key, or a password in a {@code url}) and that its group
 * or others may read is refused ({@link InsecureConfigException}) until {@code chmod 600}. No message, warning or
 * {@code toString()} of Pipescope holds a password.
 *
 * <pre>{@code
 * var config = DatabaseConfig.fromEnvironment();
 * config.aliases();                                  // [laptop, prod]
 * try (var db = Pipescope.open(config.resolve("prod"))) { ... }
 * Pipescope.open("prod");                            // the same in one call
 * }</pre>
 *
 * <p>The config file is read when an alias is first looked up (then kept by this object): a URL or a file path
 * resolves whatever state the file is in.
 */
public final class DatabaseConfig {

    /** Names the config file, overriding the default place. */
    public static final String CONFIG_VARIABLE = "PIPESCOPE_CONFIG";
    /** Starts every environment variable that defines or overrides an alias's setting. */
    public static final String VARIABLE_PREFIX = "PIPESCOPE_DATABASE_";
    static final String ENVIRONMENT = "environment";

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Warnings go to stderr once per process: a notebook resolving an alias on every open warns once. */
    private static final Consumer<String> STDERR_ONCE = message -> {
        if (WARNED.add(message)) {
            System.err.println("pipescope: " + message);
        }
    };

    private final Map<String, String> environment;
    private final Path home;
    private final Consumer<String> warnings;
    private Map<String, Alias> aliases;

    private DatabaseConfig(Map<String, String> environment, Consumer<String> warnings) {
        this.environment = Map.copyOf(environment);
        var homeVariable = environment.get("HOME");
        this.home = Path.of(homeVariable != null && !homeVariable.isEmpty() ? homeVariable : System.getProperty("user.home"));
        this.warnings = warnings;
    }

    /** Aliases and credentials from this process's environment variables and the user's files. */
    public static DatabaseConfig fromEnvironment() {
        return of(System.getenv());
    }

    /**
     * Aliases and credentials from {@code environment} (a test's map, or a kernel's), warnings once each on stderr.
     * The home directory ({@code ~/.config}, {@code ~/.pgpass}, {@code ~/} in paths) is its {@code HOME}, else the
     * {@code user.home} system property.
     */
    public static DatabaseConfig of(Map<String, String> environment) {
        return of(environment, STDERR_ONCE);
    }

    /** As {@link #of(Map)}, with warnings (a password file ignored, say) given to {@code warnings}. */
    public static DatabaseConfig of(Map<String, String> environment, Consumer<String> warnings) {
        if (environment == null || warnings == null) {
            throw new InvalidArgumentException("DatabaseConfig.of needs an environment map and a warnings consumer");
        }
        return new DatabaseConfig(environment, warnings);
    }

    /** True when {@code text} has an alias's shape: letters, digits, {@code -} and {@code _}, not starting with - or _. */
    public static boolean isAliasName(String text) {
        return text != null && ConfigFile.ALIAS.matcher(text).matches();
    }

    /** The home directory this configuration reads {@code ~} as. */
    public Path home() {
        return home;
    }

    /**
     * The config file that applies: the one {@code PIPESCOPE_CONFIG} names (present even when missing; reading it
     * then fails), else the default one when it exists.
     */
    public Optional<Path> file() {
        var named = variable(CONFIG_VARIABLE);
        if (named.isPresent()) {
            return Optional.of(expandHome(named.get()));
        }
        var defaultFile = defaultFile();
        return Files.exists(defaultFile) ? Optional.of(defaultFile) : Optional.empty();
    }

    /** Where the config file is looked for when {@code PIPESCOPE_CONFIG} is unset. */
    public Path defaultFile() {
        var xdg = variable("XDG_CONFIG_HOME").map(Path::of).filter(Path::isAbsolute);
        return xdg.orElse(home.resolve(".config")).resolve("pipescope").resolve("pipescope.properties");
    }

    /**
     * The aliases the config file and environment define, sorted, as the file spells them (an alias only the
     * environment defines: in lower case).
     *
     * @throws ConfigException for a malformed, unreadable or insecure config file or variable, naming it and the key
     */
    public List<String> aliases() {
        return aliasMap().values().stream().map(Alias::name).sorted().toList();
    }

    /**
     * True when {@code name} is a defined alias (ignoring case, {@code -} and {@code _} alike).
     *
     * @throws ConfigException for a malformed, unreadable or insecure config file or variable
     */
    public boolean defines(String name) {
        return isAliasName(name) && aliasMap().containsKey(canonical(name));
    }

    /**
     * Where {@code database} is, with credentials filled in: a {@code postgresql://}, {@code postgres://} or
     * {@code jdbc:postgresql://} URL is a server database; a name of an alias's shape ({@link #isAliasName}) is the
     * alias, else an existing file of that name; anything else is a SQLite file path ({@code ~/} expanded). An
     * alias wins over a file of the same name; a new file whose name looks like an alias needs a path ({@code ./runs}).
     *
     * <pre>{@code
     * config.resolve("prod");                        // DatabaseLocation.Server[target=ServerTarget[postgresql://analyst@...]]
     * config.resolve("postgresql://db/fleet");       // the same, credentials from PGUSER/PGPASSWORD/~/.pgpass
     * config.resolve("/data/pipeline.db");           // DatabaseLocation.File[path=/data/pipeline.db]
     * }</pre>
     *
     * @throws UnknownAliasException     for an alias-shaped name that is no alias and no file; it lists the aliases
     * @throws InvalidArgumentException  for an empty name, or a URL that does not parse (the password never shown)
     * @throws ConfigException           for a config file or variable that is malformed, unreadable or insecure
     */
    public DatabaseLocation resolve(String database) {
        if (database == null || database.isBlank()) {
            throw new InvalidArgumentException("no database given: name an alias, a postgresql:// URL or a SQLite file");
        }
        var text = database.strip();
        if (ServerTarget.isServerUrl(text)) {
            return server(ServerTarget.parse(text), Optional.empty(), "the URL", new EnumMap<>(ConfigSetting.class));
        }
        if (isAliasName(text)) {
            var alias = aliasMap().get(canonical(text));
            if (alias != null) {
                return locate(alias);
            }
            var file = Path.of(text);
            if (Files.exists(file)) {
                return new DatabaseLocation.File(file, Optional.empty());
            }
            throw unknownAlias(text);
        }
        return new DatabaseLocation.File(expandHome(text), Optional.empty());
    }

    // ---- aliases ----

    /** A value and where it came from. */
    private record Value(String text, String from, String source, String key) {
    }

    /** An alias's settings after the environment's override the file's. */
    private record Alias(String name, Map<ConfigSetting, Value> settings, Optional<Path> fileFolder) {
        Optional<Value> get(ConfigSetting setting) {
            return Optional.ofNullable(settings.get(setting));
        }
    }

    /** One alias's settings while reading: the file's and the environment's apart. */
    private static final class Draft {
        final String name;
        final Map<ConfigSetting, Value> file = new EnumMap<>(ConfigSetting.class);
        final Map<ConfigSetting, Value> environment = new EnumMap<>(ConfigSetting.class);

        Draft(String name) {
            this.name = name;
        }
    }

    private synchronized Map<String, Alias> aliasMap() {
        if (aliases == null) {
            aliases = readAliases();
        }
        return aliases;
    }

    private Map<String, Alias> readAliases() {
        var drafts = new TreeMap<String, Draft>();
        var config = file();
        config.ifPresent(path -> readFile(ConfigFile.read(path), drafts));
        readEnvironment(drafts);
        var result = new TreeMap<String, Alias>();
        drafts.forEach((canonical, draft) -> result.put(canonical, merge(draft, config)));
        return result;
    }

    private void readFile(ConfigFile config, Map<String, Draft> drafts) {
        var file = config.path();
        ConfigFile.Entry password = null;
        for (var entry : config.entries()) {
            var draft = drafts.computeIfAbsent(canonical(entry.alias()), c -> new Draft(entry.alias()));
            if (!draft.name.equals(entry.alias())) {
                throw new ConfigException(file.toString(), entry.key(), entry.where(file) + " and database." + draft.name
                        + ".* name the same alias (aliases ignore case, and - and _ are alike): spell it one way");
            }
            draft.file.put(entry.setting(), new Value(entry.value(), entry.where(file), file.toString(), entry.key()));
            if (password == null && (entry.setting() == ConfigSetting.PASSWORD
                    || entry.setting() == ConfigSetting.URL && !ServerTarget.redact(entry.value()).equals(entry.value()))) {
                password = entry;
            }
        }
        if (password != null) {
            refuseIfOthersMayRead(file, password);
        }
    }

    /** A config file with a password that its group or others may read is refused, as ssh refuses such a key. */
    private static void refuseIfOthersMayRead(Path file, ConfigFile.Entry password) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            return; // no POSIX modes here (libpq skips its check there too); the file was just read
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new InsecureConfigException(file.toString(), password.key(), "config file " + file + " holds a password ("
                    + password.where(file) + ") and other users may read it (" + java.nio.file.attribute.PosixFilePermissions
                    .toString(permissions) + "): run chmod 600 " + file + ", or move the password to ~/.pgpass or "
                    + VARIABLE_PREFIX + canonical(password.alias()) + "_PASSWORD");
        }
    }

    private void readEnvironment(Map<String, Draft> drafts) {
        var settingsLongestFirst = java.util.Arrays.stream(ConfigSetting.values())
                .sorted(Comparator.comparingInt((ConfigSetting s) -> s.suffix().length()).reversed()).toList();
        for (var variable : new java.util.TreeSet<>(environment.keySet())) {
            if (!variable.startsWith(VARIABLE_PREFIX) || environment.get(variable).isEmpty()) {
                continue;
            }
            var rest = variable.substring(VARIABLE_PREFIX.length());
            var setting = settingsLongestFirst.stream().filter(s -> rest.endsWith("_" + s.suffix())).findFirst()
                    .orElseThrow(() -> new ConfigException(ENVIRONMENT, variable, "environment variable " + variable
                            + " is not " + VARIABLE_PREFIX + "<ALIAS>_<SETTING> (settings: "
                            + String.join(", ", java.util.Arrays.stream(ConfigSetting.values()).map(ConfigSetting::suffix).toList())
                            + ")"));
            var alias = rest.substring(0, rest.length() - setting.suffix().length() - 1);
            if (!isAliasName(alias)) {
                throw new ConfigException(ENVIRONMENT, variable, "environment variable " + variable + " names no alias "
                        + "(" + VARIABLE_PREFIX + "<ALIAS>_" + setting.suffix() + ", the alias of letters, digits and _)");
            }
            var draft = drafts.computeIfAbsent(canonical(alias), c -> new Draft(alias.toLowerCase(Locale.ROOT)));
            var before = draft.environment.put(setting, new Value(environment.get(variable), variable, ENVIRONMENT, variable));
            if (before != null) {
                throw new ConfigException(ENVIRONMENT, variable, "environment variables " + before.key() + " and " + variable
                        + " both set " + setting.key() + " of alias " + draft.name + ": keep one");
            }
        }
    }

    /** The environment's settings over the file's, checked: one place, only a server's settings for a server, numbers. */
    private Alias merge(Draft draft, Optional<Path> configFile) {
        var fromEnvironment = draft.environment.containsKey(ConfigSetting.URL) || draft.environment.containsKey(ConfigSetting.PATH);
        var where = fromEnvironment ? draft.environment : draft.file;
        var url = where.get(ConfigSetting.URL);
        var path = where.get(ConfigSetting.PATH);
        if (url != null && path != null) {
            throw new ConfigException(url.source(), url.key(), url.from() + " and " + path.from() + " both say where alias "
                    + draft.name + " is: keep the url (a server) or the path (a SQLite file)");
        }
        var settings = new EnumMap<ConfigSetting, Value>(ConfigSetting.class);
        settings.putAll(draft.file);
        settings.remove(ConfigSetting.URL);
        settings.remove(ConfigSetting.PATH);
        settings.putAll(draft.environment);
        settings.remove(ConfigSetting.URL);
        settings.remove(ConfigSetting.PATH);
        if (url == null && path == null) {
            var any = settings.values().iterator().next();
            throw new ConfigException(any.source(), any.key(), "alias " + draft.name + " has settings (" + any.from()
                    + ") but no url or path: set database." + draft.name + ".url (or .path) or " + VARIABLE_PREFIX
                    + canonical(draft.name) + "_URL (or _PATH)");
        }
        if (url != null) {
            settings.put(ConfigSetting.URL, url);
            var target = parseUrl(url);
            number(settings.get(ConfigSetting.POOL_SIZE), 1, Integer.MAX_VALUE);
            number(settings.get(ConfigSetting.CONNECT_TIMEOUT_MS), 0, Long.MAX_VALUE);
            number(settings.get(ConfigSetting.STATEMENT_TIMEOUT_MS), 0, Long.MAX_VALUE);
            var password = settings.get(ConfigSetting.PASSWORD);
            if (target.password().isPresent() && password != null && password.source().equals(url.source())) {
                // two passwords in one place is a mistake; in two places, the environment's overrides
                throw new ConfigException(password.source(), password.key(), "alias " + draft.name + " has a password in "
                        + url.from() + " and in " + password.from() + ": keep one");
            }
        } else {
            var serverSetting = settings.values().stream().findFirst();
            if (serverSetting.isPresent()) {
                var setting = serverSetting.get();
                throw new ConfigException(setting.source(), setting.key(), setting.from() + " applies to a server database, "
                        + "and alias " + draft.name + " is the SQLite file of " + path.from() + ": remove it, or give a url");
            }
            settings.put(ConfigSetting.PATH, path);
        }
        var fileFolder = path != null && !path.source().equals(ENVIRONMENT)
                ? configFile.map(Path::toAbsolutePath).map(Path::getParent) : Optional.<Path>empty();
        return new Alias(draft.name, settings, fileFolder);
    }

    private static ServerTarget parseUrl(Value url) {
        if (!ServerTarget.isServerUrl(url.text())) {
            throw new ConfigException(url.source(), url.key(), url.from() + " is not a PostgreSQL URL ("
                    + "postgresql://[user@]host[:port]/database); a SQLite file is a path: "
                    + (url.source().equals(ENVIRONMENT) ? url.key().replaceAll("_URL$", "_PATH") : url.key().replaceAll("\\.url$", ".path")));
        }
        try {
            return ServerTarget.parse(url.text());
        } catch (InvalidArgumentException e) {
            // ServerTarget's message shows the URL with its password blanked out
            throw new ConfigException(url.source(), url.key(), url.from() + ": " + e.getMessage(), e);
        }
    }

    /** The number in {@code value} (absent: -1), within [min, max]. */
    private static long number(Value value, long min, long max) {
        if (value == null) {
            return -1;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.text().strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(value.source(), value.key(), value.from() + " is '" + value.text()
                    + "', not a whole number" + (min > 0 ? " of at least " + min : ""));
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(value.source(), value.key(), value.from() + " is " + parsed + "; it must be "
                    + (parsed < min ? "at least " + min : "at most " + max));
        }
        return parsed;
    }

    private DatabaseLocation locate(Alias alias) {
        var path = alias.get(ConfigSetting.PATH);
        if (path.isPresent()) {
            var file = expandHome(path.get().text());
            if (!file.isAbsolute() && alias.fileFolder().isPresent()) {
                file = alias.fileFolder().get().resolve(file);
            }
            return new DatabaseLocation.File(file, Optional.of(alias.name()));
        }
        var url = alias.get(ConfigSetting.URL).orElseThrow();
        var target = parseUrl(url);
        var pool = alias.get(ConfigSetting.POOL_SIZE).map(v -> number(v, 1, Integer.MAX_VALUE)).orElse((long) target.poolSize());
        var connect = alias.get(ConfigSetting.CONNECT_TIMEOUT_MS).map(v -> number(v, 0, Long.MAX_VALUE))
                .orElse(target.connectTimeoutMs());
        var statement = alias.get(ConfigSetting.STATEMENT_TIMEOUT_MS).map(v -> number(v, 0, Long.MAX_VALUE))
                .orElse(target.statementTimeoutMs());
        return server(target.withPool(pool.intValue(), connect, statement), Optional.of(alias.name()),
                "the URL in " + url.from(), alias.settings());
    }

    /** {@code target} with its user and password from the first place that has one (see the class comment). */
    private DatabaseLocation.Server server(ServerTarget target, Optional<String> alias, String urlFrom,
                                           Map<ConfigSetting, Value> settings) {
        String user;
        String userFrom;
        var userSetting = settings.get(ConfigSetting.USER);
        if (userSetting != null) {
            user = userSetting.text();
            userFrom = userSetting.from();
        } else if (target.user().isPresent()) {
            user = target.user().get();
            userFrom = urlFrom;
        } else if (variable("PGUSER").isPresent()) {
            user = variable("PGUSER").get();
            userFrom = "PGUSER";
        } else {
            user = System.getProperty("user.name");
            userFrom = "the operating system user";
        }
        Optional<Secret> password;
        Optional<String> passwordFrom;
        var passwordSetting = settings.get(ConfigSetting.PASSWORD);
        if (passwordSetting != null) {
            password = Optional.of(Secret.of(passwordSetting.text()));
            passwordFrom = Optional.of(passwordSetting.from());
        } else if (target.password().isPresent()) {
            password = target.password();
            passwordFrom = Optional.of(urlFrom);
        } else if (variable("PGPASSWORD").isPresent()) {
            password = variable("PGPASSWORD").map(Secret::of);
            passwordFrom = Optional.of("PGPASSWORD");
        } else {
            var match = PgPass.lookup(PgPass.location(environment, home), target.host(), target.port(), target.database(),
                    user, warnings);
            password = match.flatMap(PgPass.Match::password);
            passwordFrom = match.filter(m -> m.password().isPresent()).map(PgPass.Match::from);
        }
        return new DatabaseLocation.Server(target.withCredentials(Optional.of(user), password), alias, userFrom, passwordFrom);
    }

    private UnknownAliasException unknownAlias(String name) {
        var known = aliases();
        var file = file();
        var variables = "the " + VARIABLE_PREFIX + "<ALIAS>_URL/_PATH variables";
        var places = file.isPresent() ? file.get() + " and " + variables : variables + " (no config file at " + defaultFile() + ")";
        var message = known.isEmpty()
                ? "'" + name + "' is no database alias (none are defined: " + places + ") and no file"
                : "'" + name + "' is no database alias (known: " + String.join(", ", known) + ", from " + places + ") and no file";
        return new UnknownAliasException(name, known, message + "; a new SQLite file whose name looks like an alias needs a "
                + "path: ./" + name);
    }

    // ---- helpers ----

    /** The alias as environment variables spell it: {@code prod-eu} → {@code PROD_EU}. */
    static String canonical(String alias) {
        return alias.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }

    private Path expandHome(String path) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[file " + file().map(Path::toString).orElse("none (" + defaultFile() + " does not exist)")
                + ", home " + home + "]";
    }
}
