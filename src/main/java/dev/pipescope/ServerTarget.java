package dev.pipescope;

import dev.pipescope.error.InvalidArgumentException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A database on a PostgreSQL server: where it is, who connects, and how the connection pool is sized.
 * No text form of it holds the password: {@link #jdbcUrl()} and {@link #location()} leave it out and the
 * {@link Secret} prints as {@code ****}.
 *
 * <pre>{@code
 * var target = ServerTarget.parse("postgresql://analyst@db.internal:5432/fleet?sslmode=require");
 * target.jdbcUrl();   // jdbc:postgresql://db.internal:5432/fleet?sslmode=require
 * target.location();  // postgresql://analyst@db.internal:5432/fleet
 * }</pre>
 *
 * @param host               server host name or address
 * @param port               server port (PostgreSQL's default is 5432)
 * @param database           database name
 * @param parameters         the JDBC driver's non-secret URL parameters ({@code sslmode=require}), in order
 * @param user               the role to connect as; absent: the driver's default (the OS user name)
 * @param password           absent: none (trust or peer authentication, or found later in {@code ~/.pgpass})
 * @param poolSize           most connections the pool holds open
 * @param connectTimeoutMs   how long to wait for a connection from the server or the pool, ms
 * @param statementTimeoutMs how long one statement may run before the server cancels it, ms; 0 for no limit
 */
public record ServerTarget(String host, int port, String database, List<String> parameters, Optional<String> user,
                           Optional<Secret> password, int poolSize, long connectTimeoutMs, long statementTimeoutMs) {

    /** PostgreSQL's default port. */
    public static final int DEFAULT_PORT = 5432;
    /** A pool of this many connections serves a notebook and a collect without queueing. */
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

    public ServerTarget {
        if (host == null || host.isBlank()) {
            throw new InvalidArgumentException("a PostgreSQL target needs a host");
        }
        if (port < 1 || port > 65_535) {
            throw new InvalidArgumentException("PostgreSQL port " + port + " is outside 1-65535");
        }
        if (database == null || database.isBlank()) {
            throw new InvalidArgumentException("a PostgreSQL target on " + host + " needs a database name");
        }
        if (poolSize < 1) {
            throw new InvalidArgumentException("pool size " + poolSize + " is below 1");
        }
        if (connectTimeoutMs < 0 || statementTimeoutMs < 0) {
            throw new InvalidArgumentException("timeouts are negative: connect " + connectTimeoutMs + " ms, statement "
                    + statementTimeoutMs + " ms");
        }
        parameters = List.copyOf(parameters);
    }

    /** True when {@code text} names a server database (a {@code postgresql://}, {@code postgres://} or JDBC URL). */
    public static boolean isServerUrl(String text) {
        var lower = text.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://") || lower.startsWith("postgres://") || lower.startsWith("jdbc:postgresql://");
    }

    /**
     * Reads a libpq-style URL ({@code postgresql://[user[:password]@]host[:port]/database[?k=v&...]}, also
     * {@code postgres://}) or a JDBC URL ({@code jdbc:postgresql://host[:port]/database[?user=..&password=..]}).
     * A password in the URL moves into {@link #password()}; {@code user}/{@code password} parameters are taken out
     * of {@link #parameters()}. Pool and timeouts take their defaults.
     *
     * @throws InvalidArgumentException naming what is wrong (never the password) for anything else
     */
    public static ServerTarget parse(String url) {
        if (url == null || !isServerUrl(url)) {
            throw new InvalidArgumentException("not a PostgreSQL URL: " + redact(url)
                    + " (expected postgresql://[user@]host[:port]/database or jdbc:postgresql://host[:port]/database)");
        }
        var text = url.strip();
        var rest = text.substring(text.indexOf("://") + 3);
        String user = null;
        String password = null;
        var at = userInfoEnd(rest);
        if (at >= 0) {
            var userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            var colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        var slash = rest.indexOf('/');
        if (slash < 0) {
            throw new InvalidArgumentException("PostgreSQL URL " + redact(url) + " names no database (…/database)");
        }
        var hostPort = rest.substring(0, slash);
        var pathAndQuery = rest.substring(slash + 1);
        var question = pathAndQuery.indexOf('?');
        var database = decode(question < 0 ? pathAndQuery : pathAndQuery.substring(0, question));
        var parameters = new ArrayList<String>();
        if (question >= 0) {
            for (var pair : pathAndQuery.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                var eq = pair.indexOf('=');
                var key = eq < 0 ? pair : pair.substring(0, eq);
                var value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> parameters.add(pair);
                }
            }
        }
        String host = hostPort;
        int port = DEFAULT_PORT;
        var colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("PostgreSQL URL " + redact(url) + " has port '"
                        + hostPort.substring(colon + 1) + "', not a number");
            }
        }
        return new ServerTarget(host, port, database, parameters, Optional.ofNullable(user).filter(u -> !u.isEmpty()),
                Optional.ofNullable(password).map(Secret::of), DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT_MS, 0);
    }

    /** The JDBC URL the driver connects with, with the non-secret parameters and never a user or password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    }

    /** How error messages and {@code describe()} name this database: {@code postgresql://user@host:port/database}. */
    public String location() {
        return "postgresql://" + user.map(u -> u + "@").orElse("") + host + ":" + port + "/" + database;
    }

    /** This target with another role and password (from the environment, {@code ~/.pgpass} or a config file). */
    public ServerTarget withCredentials(Optional<String> newUser, Optional<Secret> newPassword) {
        return new ServerTarget(host, port, database, parameters, newUser, newPassword, poolSize, connectTimeoutMs,
                statementTimeoutMs);
    }

    /** This target with another pool size and timeouts (ms; a statement timeout of 0 is no limit). */
    public ServerTarget withPool(int newPoolSize, long newConnectTimeoutMs, long newStatementTimeoutMs) {
        return new ServerTarget(host, port, database, parameters, user, password, newPoolSize, newConnectTimeoutMs,
                newStatementTimeoutMs);
    }

    /**
     * {@code url} with any password blanked out (the user part's, and parameters such as {@code password=} and
     * {@code sslpassword=}), for an error message or a listing. A password written without
     * percent-encoding may hold {@code @}, {@code /} or {@code :}: everything from the user's colon to the
     * {@code @} that ends the user part (as {@link #parse} finds it) is blanked.
     */
    public static String redact(String url) {
        if (url == null) {
            return "null";
        }
        var text = url;
        var scheme = text.indexOf("://");
        if (scheme >= 0) {
            var start = scheme + 3;
            var at = userInfoEnd(text.substring(start));
            var colon = at < 0 ? -1 : text.substring(start, start + at).indexOf(':');
            if (colon >= 0) {
                text = text.substring(0, start + colon + 1) + "****" + text.substring(start + at);
            }
        }
        // password=, and any other parameter that holds one (the driver's sslpassword=)
        return text.replaceAll("(?i)([?&][a-z_]*password=)[^&]*", "$1****");
    }

    /**
     * Where the user part of {@code rest} (the URL after {@code ://}) ends: the last {@code @} before the last
     * {@code /}, so a password may hold a raw {@code @}, {@code /} or {@code ?} while a query's {@code user=a@b}
     * is no user part; without any {@code /}, the last {@code @}. -1 when there is no user part.
     */
    private static int userInfoEnd(String rest) {
        var lastSlash = rest.lastIndexOf('/');
        return lastSlash < 0 ? rest.lastIndexOf('@') : rest.lastIndexOf('@', lastSlash);
    }

    @Override
    public String toString() {
        return "ServerTarget[" + location() + (parameters.isEmpty() ? "" : redact("?" + String.join("&", parameters)))
                + ", password " + (password.isPresent() ? "****" : "none") + ", pool " + poolSize + ", connect timeout "
                + connectTimeoutMs + " ms, statement timeout " + statementTimeoutMs + " ms]";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
