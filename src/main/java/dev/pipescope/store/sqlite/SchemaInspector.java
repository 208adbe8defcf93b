package dev.pipescope.store.sqlite;

import dev.pipescope.domain.Layout;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads which tables and columns a file holds and which known layouts they make up. Works on a
 * read-only connection, so a file can be judged before anything writes to it.
 */
public final class SchemaInspector {

    /** The tables (and the columns each must have) that make up each layout. */
    static final Map<Layout, Map<String, Set<String>>> SIGNATURES = Map.of(
            Layout.PIPESCOPE, Map.of("flyway_schema_history", Set.of("version", "success")),
            Layout.ADAPTIVE_PIPELINE, Map.of(
                    "pipelines", Set.of("id", "name", "archived", "created_at", "updated_at"),
                    "pipeline_stages", Set.of("id", "pipeline_id", "name", "stage_type", "enabled", "stage_order",
                            "algorithm", "parallel_processing", "chunk_size", "archived", "created_at", "updated_at"),
                    "stage_parameters", Set.of("stage_id", "key", "value", "archived", "created_at", "updated_at"),
                    "pipeline_configuration", Set.of("pipeline_id", "key", "value", "archived", "created_at",
                            "updated_at"),
                    "processing_metrics", Set.of("pipeline_id", "bytes_processed", "bytes_total", "chunks_processed",
                            "chunks_total", "start_time_rfc3339", "end_time_rfc3339", "processing_duration_ms",
                            "throughput_bytes_per_second", "compression_ratio", "error_count", "warning_count",
                            "input_file_size_bytes", "output_file_size_bytes", "input_file_checksum",
                            "output_file_checksum")),
            Layout.RUN_HISTORY, Map.of("pipeline_runs", Set.of("id", "pipeline_id", "status", "attempt", "started_at",
                    "finished_at", "updated_at", "duration_ms", "bytes_processed", "bytes_total", "chunks_processed",
                    "chunks_total", "throughput_bytes_per_second", "compression_ratio", "error_count", "warning_count",
                    "input_file_size_bytes", "output_file_size_bytes", "input_file_checksum", "output_file_checksum",
                    "error_message")),
            Layout.DAGGER, Map.of(
                    "artifacts", Set.of("dag_id", "node_id", "key", "value"),
                    "execution_trees", Set.of("dag_id", "tree_data"),
                    "snapshots", Set.of("dag_id", "snapshot_data", "created_at"),
                    "execution_state", Set.of("dag_id", "state_type", "state_data")),
            Layout.HYPERPAGE, Map.of(
                    "jobs", Set.of("id", "type", "name", "priority", "status", "payload", "created_at", "updated_at",
                            "retry_count", "recovery_attempts"),
                    "job_history", Set.of("id", "job_id", "attempt", "status", "started_at"),
                    "rate_limits", Set.of("id", "platform", "last_updated"),
                    "tool_configs", Set.of("tool_name", "enabled", "config"),
                    "app_state", Set.of("key", "value")),
            Layout.ETL, Map.of(
                    "jobtable", Set.of("id", "name"),
                    "componenttable", Set.of("id", "job_id", "name", "payload"),
                    "executiontable", Set.of("id", "job_id", "status", "started_at"),
                    "executionattempttable", Set.of("id", "execution_id", "attempt_index", "status")));

    private SchemaInspector() {}

    /** The file's own tables (not SQLite's internal ones) with their column names, by table name. */
    public static Map<String, Set<String>> tables(Connection connection) throws SQLException {
        var result = new TreeMap<String, Set<String>>();
        try (var st = connection.createStatement();
             var rs = st.executeQuery(SchemaSql.TABLES)) {
            while (rs.next()) {
                result.put(rs.getString(1), new LinkedHashSet<>());
            }
        }
        for (var entry : result.entrySet()) {
            try (var ps = connection.prepareStatement(SchemaSql.COLUMNS)) {
                ps.setString(1, entry.getKey());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entry.getValue().add(rs.getString(1));
                    }
                }
            }
        }
        return result;
    }

    /** The layouts whose tables are all present with at least their required columns. */
    public static Set<Layout> layouts(Map<String, Set<String>> tables) {
        var found = EnumSet.noneOf(Layout.class);
        for (var signature : SIGNATURES.entrySet()) {
            boolean complete = signature.getValue().entrySet().stream()
                    .allMatch(t -> tables.containsKey(t.getKey()) && tables.get(t.getKey()).containsAll(t.getValue()));
            if (complete) {
                found.add(signature.getKey());
            }
        }
        return found;
    }

    /**
     * Problems with tables that Pipescope's migrations would create or write, where the file already has
     * a table of that name with other columns: {@code "pipelines lacks columns [archived]"}.
     */
    public static List<String> conflicts(Map<String, Set<String>> tables, Set<Layout> ours) {
        var problems = new java.util.ArrayList<String>();
        for (var layout : ours) {
            for (var required : SIGNATURES.get(layout).entrySet()) {
                var present = tables.get(required.getKey());
                if (present != null && !present.containsAll(required.getValue())) {
                    var missing = new java.util.TreeSet<>(required.getValue());
                    missing.removeAll(present);
                    problems.add(required.getKey() + " lacks columns " + missing);
                }
            }
        }
        return problems;
    }
}
