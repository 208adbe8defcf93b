package dev.pipescope.notebook;

import dev.pipescope.DatabaseLocation;
import dev.pipescope.ServerTarget;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * A database's location as a notebook shows it: one row saying where it is, who connects, where user and
 * password come from (never the password), and the pool. Column names follow {@link Formats#kindOf}, so the
 * pool's size shows as connections and the timeouts as durations.
 */
final class LocationTables {

    private LocationTables() {
    }

    static Table of(DatabaseLocation location) {
        if (location instanceof DatabaseLocation.File file) {
            return new TableBuilder<DatabaseLocation.File>("SQLite file")
                    .string("alias", f -> f.alias().orElse(null))
                    .string("file", f -> f.path().toString())
                    .build(List.of(file));
        }
        var server = (DatabaseLocation.Server) location;
        return new TableBuilder<DatabaseLocation.Server>("server database")
                .string("alias", s -> s.alias().orElse(null))
                .string("database", s -> s.target().location())
                .string("user_from", DatabaseLocation.Server::userFrom)
                .string("password", s -> s.passwordFrom().map(p -> "from " + p).orElse("none"))
                .ints("pool_connections", s -> s.target().poolSize())
                .longs("connect_timeout_ms", s -> s.target().connectTimeoutMs())
                .longs("statement_timeout_ms", s -> s.target().statementTimeoutMs())
                .build(List.of(server));
    }

    static Table of(ServerTarget target) {
        return new TableBuilder<ServerTarget>("server database")
                .string("database", ServerTarget::location)
                .string("parameters", t -> ServerTarget.redact("?" + String.join("&", t.parameters())).substring(1))
                .string("password", t -> t.password().map(p -> p.toString()).orElse("none"))
                .ints("pool_connections", ServerTarget::poolSize)
                .longs("connect_timeout_ms", ServerTarget::connectTimeoutMs)
                .longs("statement_timeout_ms", ServerTarget::statementTimeoutMs)
                .build(List.of(target));
    }
}
