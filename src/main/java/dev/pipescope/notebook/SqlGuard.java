package dev.pipescope.notebook;

import dev.pipescope.domain.Layout;
import dev.pipescope.error.SecretTableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What SQLite's compiled program for a statement does, read with {@code EXPLAIN}: whether it writes, and whether it opens a table that holds secrets. */
final class SqlGuard {
    private SqlGuard() {
    }

    /** Opcodes of a program that changes the file, besides a write transaction (EXPLAIN's opcode column). */
    static final Set<String> WRITING_OPCODES = Set.of("OpenWrite", "VUpdate", "VCreate", "VDestroy", "Vacuum",
            "SetCookie", "JournalMode", "CreateBtree", "Destroy", "Clear", "DropTable", "DropIndex", "DropTrigger",
            "IncrVacuum");

    /** What a statement does to the file, as SQLite's program for it says. */
    enum Effect { READS, WRITES, UNKNOWN }

    /**
     * Whether SQLite's program for the statement writes: it starts a write transaction or has an opcode
     * that writes. UNKNOWN when the statement does not prepare (yet: it may use a table an earlier
     * statement of the cell creates), so it is not provably read-only.
     */
    static Effect effect(Connection connection, SqlBinding.Bound statement) {
        if (SqlText.withoutLeadingComments(statement.jdbcSql()).regionMatches(true, 0, "EXPLAIN", 0, 7)) {
            return Effect.READS; // EXPLAIN shows a program without running it
        }
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + statement.jdbcSql());
             ResultSet program = explain.executeQuery()) {
            while (program.next()) {
                String opcode = program.getString("opcode");
                if ("Transaction".equals(opcode) && program.getLong("p2") != 0 || WRITING_OPCODES.contains(opcode)) {
                    return Effect.WRITES;
                }
            }
            return Effect.READS;
        } catch (SQLException e) {
            // not an error to report here: the statement itself fails with this message when it runs
            return Effect.UNKNOWN;
        }
    }

    /**
     * Refuses a statement whose program opens a table that holds secrets ({@link Layout#allSecretTables()}),
     * in the file or any attached one, as SQLite compiled it: through a view, a subquery or a join alike.
     * A statement that does not compile yet (its table comes from an earlier statement of the cell) is
     * judged again just before it runs.
     */
    static void refuseSecrets(Connection connection, List<SqlText.Statement> statements, List<SqlBinding.Bound> bound, int index) {
        var secretPages = secretPages(connection);
        if (secretPages.isEmpty()) {
            return;
        }
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + bound.get(index).jdbcSql());
             ResultSet program = explain.executeQuery()) {
            while (program.next()) {
                String opcode = program.getString("opcode");
                if (opcode.startsWith("Open") || "ReopenIdx".equals(opcode)) {
                    String table = secretPages.get(program.getLong("p3") + ":" + program.getLong("p2"));
                    if (table != null) {
                        throw new SecretTableException(SqlRunner.name(statements, index) + " (" + SqlText.firstLine(statements.get(index)
                                .text()) + ") reads " + table + ", which holds secrets (accounts, tokens, sessions or "
                                + "credentials); Pipescope never shows it. Nothing was run.");
                    }
                }
            }
        } catch (SQLException e) {
            // the statement does not compile yet: it is judged again just before it runs, and fails there if it
            // still does not compile, with SQLite's message
        }
    }

    /** Where the secret tables live, as "database index:root page" (what EXPLAIN's Open* opcodes name) to table. */
    static Map<String, String> secretPages(Connection connection) {
        try {
            var secretPages = new java.util.HashMap<String, String>();
            List<String[]> schemas = new ArrayList<>();
            try (var st = connection.createStatement(); var rs = st.executeQuery("PRAGMA database_list")) {
                while (rs.next()) {
                    schemas.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] schema : schemas) {
                String master = "\"" + schema[1].replace("\"", "\"\"") + "\".sqlite_master";
                try (var st = connection.createStatement();
                     var rs = st.executeQuery("SELECT tbl_name, rootpage FROM " + master + " WHERE rootpage > 0")) {
                    while (rs.next()) {
                        if (Layout.allSecretTables().contains(rs.getString(1).toLowerCase(java.util.Locale.ROOT))) {
                            secretPages.put(schema[0] + ":" + rs.getLong(2), rs.getString(1));
                        }
                    }
                }
            }
            return secretPages;
        } catch (SQLException e) {
            throw new dev.pipescope.error.StorageException("cannot read which tables hold secrets: " + e.getMessage(), e);
        }
    }
}
