package dev.pipescope.testing;

import dev.pipescope.Secret;
import dev.pipescope.ServerTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, one per test JVM. When {@code PIPESCOPE_TEST_PG} names a server
 * ({@code postgresql://postgres:pw@localhost:5432/postgres}, or {@code 1} for {@code postgres@localhost:5432})
 * it is reused; otherwise Debian's server binaries ({@code /usr/lib/postgresql/N/bin}, the {@code postgresql}
 * package that {@code kernel/packages --tests} installs) start a throw-away cluster: {@code initdb} in a temporary
 * directory, {@code pg_ctl start} on a free loopback port, password (SCRAM) authentication over TCP so a wrong
 * password is refused as on a real server, durability off for speed. As root the server runs as the
 * {@code postgres} system user (PostgreSQL refuses to run as root). The cluster is stopped and deleted when the
 * JVM exits.
 *
 * <pre>{@code
 * ServerTarget db = PostgresServer.get().newDatabase("runs");   // an empty database of its own
 * }</pre>
 */
public final class PostgresServer {
    private static PostgresServer instance;

    private final ServerTarget admin;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(ServerTarget admin) {
        this.admin = admin;
    }

    /** The shared server, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            var configured = System.getenv("PIPESCOPE_TEST_PG");
            instance = new PostgresServer(configured == null || configured.isBlank() ? startCluster() : reuse(configured));
        }
        return instance;
    }

    /** The superuser's connection to the {@code postgres} database. */
    public ServerTarget admin() {
        return admin;
    }

    /** The superuser's password (for tests that give a wrong one, or write {@code ~/.pgpass}). */
    public Optional<Secret> password() {
        return admin.password();
    }

    /** A new empty database named {@code prefix_N_random}, for the superuser. */
    public ServerTarget newDatabase(String prefix) {
        var name = uniqueName(prefix);
        execute("CREATE DATABASE " + name);
        return target(name);
    }

    private String pipescopeTemplate;

    /**
     * A new database that already holds Pipescope's migrated, empty schema: a copy ({@code CREATE DATABASE ...
     * TEMPLATE}) of one that {@code Pipescope.open} migrated once per JVM, so a suite of a hundred tests does not
     * run Flyway a hundred times. Tests of migrating itself use {@link #newDatabase}.
     */
    public synchronized ServerTarget newPipescopeDatabase(String prefix) {
        if (pipescopeTemplate == null) {
            var template = newDatabase("pipescope_template");
            dev.pipescope.Pipescope.open(template).close();
            pipescopeTemplate = template.database();
        }
        var name = uniqueName(prefix);
        execute("CREATE DATABASE " + name + " TEMPLATE " + pipescopeTemplate);
        return target(name);
    }

    private String uniqueName(String prefix) {
        return (prefix + "_" + databases.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase().replaceAll("[^a-z0-9_]", "_");
    }

    private ServerTarget target(String database) {
        return new ServerTarget(admin.host(), admin.port(), database, List.of(), admin.user(), admin.password(),
                admin.poolSize(), admin.connectTimeoutMs(), admin.statementTimeoutMs());
    }

    /** Runs one statement as the superuser on the {@code postgres} database (roles, databases). */
    public void execute(String sql) {
        try (var connection = DriverManager.getConnection(admin.jdbcUrl(), admin.user().orElse("postgres"),
                admin.password().map(Secret::reveal).orElse(null));
             var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on the test server " + admin.location() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static ServerTarget reuse(String configured) {
        var url = configured.strip().equals("1") || configured.strip().equalsIgnoreCase("true")
                ? "postgresql://postgres@localhost:5432/postgres" : configured.strip();
        return ServerTarget.parse(url);
    }

    private static ServerTarget startCluster() {
        var bin = serverBinaries();
        try {
            var dir = Files.createTempDirectory("pipescope-pg");
            var data = dir.resolve("data");
            var password = UUID.randomUUID().toString();
            var passwordFile = dir.resolve("pw");
            Files.writeString(passwordFile, password);
            var asRoot = "root".equals(System.getProperty("user.name"));
            if (asRoot) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()), dir);
            }
            run(as(asRoot, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8",
                    "--locale=C", "--no-sync")), dir);
            var port = freePort();
            var options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            run(as(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", options, "start")), dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data, dir, asRoot)));
            return new ServerTarget("127.0.0.1", port, "postgres", List.of(), Optional.of("postgres"),
                    Optional.of(Secret.of(password)), 8, 10_000, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest {@code /usr/lib/postgresql/N/bin}, or the directory of {@code initdb} on the PATH. */
    private static Path serverBinaries() {
        try (Stream<Path> versions = Files.isDirectory(Path.of("/usr/lib/postgresql"))
                ? Files.list(Path.of("/usr/lib/postgresql")) : Stream.empty()) {
            var debian = versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))));
            if (debian.isPresent()) {
                return debian.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql"
                + " package (kernel/packages --tests does), or set PIPESCOPE_TEST_PG to a running server's URL");
    }

    private static List<String> as(boolean asRoot, List<String> command) {
        if (!asRoot) {
            return command;
        }
        var wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command, Path dir) {
        try {
            var log = dir.resolve("command.log");
            var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                var serverLog = dir.resolve("server.log");
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + Files.readString(log)
                        + (Files.exists(serverLog) ? "\nserver log:\n" + Files.readString(serverLog) : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void stop(Path bin, Path data, Path dir, boolean asRoot) {
        try {
            run(as(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                    "stop")), dir);
        } finally {
            // a run of the suites leaves a hundred databases of ~1,000 files each: deleting them took longer than
            // surefire waits for a JVM to exit (30 s) on a busy machine, and a killed JVM leaves the cluster behind.
            // The server is stopped above; its files go in a process of their own that outlives this JVM
            // (setsid --fork: not this JVM's child, so surefire's clean-up of the fork's processes spares it).
            try {
                new ProcessBuilder("setsid", "--fork", "rm", "-rf", dir.toString())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                System.err.println("could not delete the test cluster " + dir + ": " + e.getMessage());
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
