package dev.pipescope.notebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.domain.Layout;
import dev.pipescope.error.SecretTableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a statement does on a PostgreSQL database, read from the plan PostgreSQL makes for it ({@code EXPLAIN
 * (FORMAT JSON)}, which plans without running): whether it writes, and which tables it reads, through views,
 * subqueries, CTEs and joins alike. The SQLite counterpart is {@link SqlGuard}, which reads SQLite's program.
 *
 * <p>Each {@code EXPLAIN} runs under a savepoint: a statement that does not plan (yet) leaves the transaction as
 * it was, where PostgreSQL would otherwise abort it.
 */
final class ServerSqlGuard {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code EXPLAIN} with its options; {@code ANALYZE} runs the statement, so that statement is what is judged. */
    private static final Pattern EXPLAIN = Pattern.compile(
            "^EXPLAIN\\s*(\\((?<options>[^)]*)\\)|(?<words>(\\s*\\b(ANALY[SZ]E|VERBOSE)\\b)*))\\s*(?<statement>.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** The start of a query on PostgreSQL: SQLite's, and {@code TABLE t} and {@code SHOW setting}. */
    static final Pattern QUERY_START = Pattern.compile("^(SELECT|WITH|VALUES|EXPLAIN|TABLE|SHOW)\\b",
            Pattern.CASE_INSENSITIVE);

    /** Plan nodes of a statement that changes rows or locks them for a change. */
    private static final Set<String> WRITING_NODES = Set.of("ModifyTable", "LockRows");

    /**
     * Functions that read a table named in a text argument or run SQL given as text, which no plan shows: a
     * statement calling one is judged as reading every secret table.
     */
    private static final Pattern SQL_FROM_TEXT = Pattern.compile(
            "\\b((query|cursor|table|schema|database)_to_xml(schema|_and_xmlschema)?|dblink\\w*|pg_read_file|"
                    + "pg_read_binary_file|lo_export)\\s*\\(", Pattern.CASE_INSENSITIVE);

    /**
     * The catalog that keeps the values PostgreSQL sampled from every table (most common values, histograms):
     * {@code pg_stats} would show a secret table's e-mails and tokens through it.
     */
    private static final Set<String> SAMPLED_VALUES = Set.of("pg_statistic", "pg_statistic_ext_data");

    private ServerSqlGuard() {
    }

    /** True when {@code connection} is to a PostgreSQL server (where this guard, not SQLite's, judges statements). */
    static boolean isPostgres(Connection connection) {
        try {
            return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new dev.pipescope.error.StorageException("cannot tell which database engine this is: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether the statement writes: READS for a plan without a node that modifies or locks rows (and for
     * {@code EXPLAIN} without {@code ANALYZE}, which only plans); UNKNOWN when it does not plan (DDL,
     * {@code SET}, or a table an earlier statement of the cell creates), so it is not provably read-only.
     */
    static SqlGuard.Effect effect(Connection connection, SqlBinding.Bound statement) {
        var judged = judged(statement);
        if (judged.isEmpty()) {
            return SqlGuard.Effect.READS;
        }
        return plan(connection, judged.get()).map(plan -> writes(plan) ? SqlGuard.Effect.WRITES : SqlGuard.Effect.READS)
                .orElse(SqlGuard.Effect.UNKNOWN);
    }

    /**
     * Refuses a statement whose plan reads a table that holds secrets ({@link Layout#allSecretTables()}: Hyperpage's
     * {@code users}, {@code oauth_tokens}, {@code user_sessions}, etl-core's credentials) or the values PostgreSQL
     * sampled from tables ({@code pg_stats}), or that calls a function reading a table named in text. A statement
     * that does not plan yet is judged again just before it runs.
     *
     * @throws SecretTableException naming the statement and the table; nothing was run
     */
    static void refuseSecrets(Connection connection, List<SqlText.Statement> statements, List<SqlBinding.Bound> bound,
                              int index) {
        var judged = judged(bound.get(index));
        if (judged.isEmpty()) {
            return; // EXPLAIN without ANALYZE shows a plan, never a row
        }
        String reason = null;
        Matcher call = SQL_FROM_TEXT.matcher(SqlText.withoutLeadingComments(judged.get().jdbcSql()));
        if (call.find()) {
            reason = "calls " + call.group(1) + "(), which reads tables named in text, where the tables that hold "
                    + "secrets cannot be told apart";
        } else {
            var plan = plan(connection, judged.get());
            if (plan.isPresent()) {
                var tables = new TreeSet<String>();
                relations(plan.get(), tables);
                for (String table : tables) {
                    if (Layout.allSecretTables().contains(table)) {
                        reason = "reads " + table + ", which holds secrets (accounts, tokens, sessions or credentials)";
                        break;
                    }
                    if (SAMPLED_VALUES.contains(table)) {
                        reason = "reads " + table + ", the values PostgreSQL sampled from every table, those that hold "
                                + "secrets (accounts, tokens, sessions or credentials) too";
                        break;
                    }
                }
            }
        }
        if (reason != null) {
            throw new SecretTableException(SqlRunner.name(statements, index) + " ("
                    + SqlText.firstLine(statements.get(index).text()) + ") " + reason + "; Pipescope never shows them. "
                    + "Nothing was run.");
        }
    }

    /** The statement to judge: itself, the statement {@code EXPLAIN ANALYZE} runs, or none for a plain EXPLAIN. */
    private static Optional<SqlBinding.Bound> judged(SqlBinding.Bound statement) {
        String sql = SqlText.withoutLeadingComments(statement.jdbcSql());
        Matcher explain = EXPLAIN.matcher(sql);
        if (!explain.matches()) {
            return Optional.of(statement);
        }
        String options = explain.group("options") != null ? explain.group("options") : explain.group("words");
        if (options == null || !Pattern.compile("\\bANALY[SZ]E\\b(?!\\s+(false|off|0)\\b)", Pattern.CASE_INSENSITIVE)
                .matcher(options).find()) {
            return Optional.empty();
        }
        // the placeholders are all in the statement after EXPLAIN's options, so the values bind to it unchanged
        return Optional.of(new SqlBinding.Bound(explain.group("statement"), statement.values()));
    }

    /** PostgreSQL's plan for the statement, with its values bound; empty when it does not plan. */
    private static Optional<JsonNode> plan(Connection connection, SqlBinding.Bound statement) {
        Savepoint savepoint = null;
        try {
            savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
            try (var explain = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + statement.jdbcSql())) {
                for (int i = 0; i < statement.values().size(); i++) {
                    explain.setObject(i + 1, statement.values().get(i));
                }
                try (var rs = explain.executeQuery()) {
                    rs.next();
                    var plan = JSON.readTree(rs.getString(1));
                    if (savepoint != null) {
                        connection.releaseSavepoint(savepoint);
                    }
                    return Optional.of(plan);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            // not an error to report here: the statement itself fails with PostgreSQL's message when it runs
            if (savepoint != null) {
                try {
                    connection.rollback(savepoint);
                } catch (SQLException rollback) {
                    throw new dev.pipescope.error.StorageException("cannot roll back to the savepoint after planning "
                            + "a statement: " + rollback.getMessage(), rollback);
                }
            }
            return Optional.empty();
        }
    }

    private static boolean writes(JsonNode node) {
        if (node.isObject() && WRITING_NODES.contains(node.path("Node Type").asText())) {
            return true;
        }
        for (JsonNode child : node) {
            if ((child.isObject() || child.isArray()) && writes(child)) {
                return true;
            }
        }
        return false;
    }

    /** Every relation a plan scans, lower-cased. */
    private static void relations(JsonNode node, Set<String> into) {
        if (node.isObject() && node.has("Relation Name")) {
            into.add(node.get("Relation Name").asText().toLowerCase(Locale.ROOT));
        }
        for (JsonNode child : node) {
            if (child.isObject() || child.isArray()) {
                relations(child, into);
            }
        }
    }
}
