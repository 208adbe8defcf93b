package dev.pipescope;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a database named by an alias, a URL or a path is: a SQLite {@link File} or a {@link Server} database
 * with its credentials filled in. {@link DatabaseConfig#resolve(String)} makes one; {@link Pipescope#open(String)}
 * opens it. No text form holds a password.
 *
 * <pre>{@code
 * var location = DatabaseConfig.fromEnvironment().resolve("prod");
 * if (location instanceof DatabaseLocation.Server server) {
 *     System.out.println(server.target().location() + ", password from " + server.passwordFrom().orElse("nowhere"));
 * }
 * }</pre>
 */
public sealed interface DatabaseLocation permits DatabaseLocation.File, DatabaseLocation.Server {

    /** The alias it was named by, if it was. */
    Optional<String> alias();

    /** For messages and {@code describe()}: {@code prod: postgresql://analyst@db:5432/fleet} or a file's path. */
    String describe();

    /**
     * A SQLite file.
     *
     * @param path  the file (it may not exist yet: a read-write open creates it)
     * @param alias the alias it was named by
     */
    record File(Path path, Optional<String> alias) implements DatabaseLocation {
        public File {
            java.util.Objects.requireNonNull(path, "path");
            java.util.Objects.requireNonNull(alias, "alias");
        }

        @Override
        public String describe() {
            return alias.map(a -> a + ": ").orElse("") + path;
        }
    }

    /**
     * A database on a PostgreSQL server.
     *
     * @param target       host, port, database, user, password ({@code ****} in every text), pool and timeouts
     * @param alias        the alias it was named by
     * @param userFrom     where the user name came from ({@code database.prod.user (line 2 of /home/a/.config/pipescope/pipescope.properties)},
     *                     {@code PGUSER}, {@code the operating system user}, ...)
     * @param passwordFrom where the password came from ({@code PIPESCOPE_DATABASE_PROD_PASSWORD},
     *                     {@code /home/a/.pgpass line 3}, ...); empty when there is none
     */
    record Server(ServerTarget target, Optional<String> alias, String userFrom, Optional<String> passwordFrom)
            implements DatabaseLocation {
        public Server {
            java.util.Objects.requireNonNull(target, "target");
            java.util.Objects.requireNonNull(alias, "alias");
            java.util.Objects.requireNonNull(userFrom, "userFrom");
            java.util.Objects.requireNonNull(passwordFrom, "passwordFrom");
        }

        @Override
        public String describe() {
            return alias.map(a -> a + ": ").orElse("") + target.location();
        }
    }
}
