package dev.pipescope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.DatabaseConfig;
import dev.pipescope.DatabaseLocation;
import dev.pipescope.ServerTarget;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipescope databases [NAME]}: the aliases of the config file and environment, or what one name resolves
 * to, with where each user and password came from and never the password: the way to check the precedence rules
 * of {@link DatabaseConfig} on a machine. Nothing is opened.
 */
@Command(name = "databases", mixinStandardHelpOptions = true,
        description = "List the database aliases (config file and PIPESCOPE_DATABASE_* variables), or show what NAME "
                + "(an alias, a postgresql:// URL or a file) resolves to: where it is, the user and where the user and "
                + "password come from (never the password). Opens nothing.")
final class DatabasesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "an alias, a postgresql:// URL or a file path")
    String name;

    @Option(names = "--json", description = "print JSON (for scripts) instead of text")
    boolean json;

    @Override
    public Integer call() {
        var config = DatabaseConfig.of(((Main) spec.parent().userObject()).environment);
        var out = spec.commandLine().getOut();
        List<DatabaseLocation> locations = name != null ? List.of(config.resolve(name))
                : config.aliases().stream().map(config::resolve).toList();
        if (json) {
            var node = Output.mapper().createObjectNode();
            config.file().ifPresentOrElse(f -> node.put("configFile", f.toString()), () -> node.putNull("configFile"));
            var array = node.putArray("databases");
            locations.forEach(location -> array.add(json(location)));
            Output.json(out, node);
            return ExitCodes.OK;
        }
        if (name == null) {
            out.println("config file: " + config.file().map(Object::toString)
                    .orElse("none (" + config.defaultFile() + " does not exist; PIPESCOPE_CONFIG names another)"));
            if (locations.isEmpty()) {
                out.println("no aliases: add database.<alias>.url (or .path) lines to the config file, or set "
                        + DatabaseConfig.VARIABLE_PREFIX + "<ALIAS>_URL");
            }
        }
        locations.forEach(location -> text(out, location));
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(PrintWriter out, DatabaseLocation location) {
        if (location instanceof DatabaseLocation.Server server) {
            var target = server.target();
            out.println(server.describe() + (target.parameters().isEmpty() ? ""
                    : ServerTarget.redact("?" + String.join("&", target.parameters()))));
            out.println("  user      " + target.user().orElse("") + ", from " + server.userFrom());
            out.println("  password  " + server.passwordFrom().map(p -> "from " + p).orElse("none"));
            out.println("  pool      " + target.poolSize() + " connections, connect timeout " + target.connectTimeoutMs()
                    + " ms, statement timeout " + (target.statementTimeoutMs() == 0 ? "none" : target.statementTimeoutMs() + " ms"));
        } else {
            out.println(location.describe() + " (SQLite file)");
        }
    }

    private static ObjectNode json(DatabaseLocation location) {
        var node = Output.mapper().createObjectNode();
        location.alias().ifPresentOrElse(a -> node.put("alias", a), () -> node.putNull("alias"));
        if (location instanceof DatabaseLocation.Server server) {
            var target = server.target();
            node.put("kind", "server");
            node.put("location", target.location());
            node.put("jdbcUrl", ServerTarget.redact(target.jdbcUrl()));
            node.put("user", target.user().orElse(null));
            node.put("userFrom", server.userFrom());
            server.passwordFrom().ifPresentOrElse(p -> node.put("passwordFrom", p), () -> node.putNull("passwordFrom"));
            node.put("poolSize", target.poolSize());
            node.put("connectTimeoutMs", target.connectTimeoutMs());
            node.put("statementTimeoutMs", target.statementTimeoutMs());
        } else {
            node.put("kind", "file");
            node.put("location", ((DatabaseLocation.File) location).path().toString());
        }
        return node;
    }
}
