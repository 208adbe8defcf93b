package dev.pipescope.demo;

import dev.pipescope.PipescopeDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The other tools' tables in the demo file, as those tools write them: Hyperpage's job queue (jobs with
 * {@code started_at} NULL, epoch-ms {@code created_at}/{@code updated_at}, {@code tool} as the JSON of a
 * whole Tool object, an empty {@code job_history}), and etl-core's jobs, components, executions and
 * attempts (naive {@code YYYY-MM-DD HH:MM:SS.ffffff} times, UUID4 ids). Each tool's tables are made by
 * its own DDL, below, as the tool's schema has them.
 */
final class ToolDemo {

    /** Hyperpage's schema (hyperpage/hyperpage, last SQLite commit 5266ff84), its secrets tables left out. */
    static final List<String> HYPERPAGE_DDL = List.of("""
            CREATE TABLE jobs (id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, priority INTEGER NOT NULL,
              status TEXT NOT NULL, tool TEXT, endpoint TEXT, payload TEXT NOT NULL, result TEXT,
              created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, started_at INTEGER, completed_at INTEGER,
              retry_count INTEGER DEFAULT 0 NOT NULL, persisted_at INTEGER DEFAULT (unixepoch() * 1000) NOT NULL,
              recovery_attempts INTEGER DEFAULT 0 NOT NULL)""", """
            CREATE TABLE job_history (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, attempt INTEGER NOT NULL,
              status TEXT NOT NULL, started_at INTEGER NOT NULL, completed_at INTEGER, duration_ms INTEGER,
              error_message TEXT, FOREIGN KEY (job_id) REFERENCES jobs(id))""", """
            CREATE TABLE rate_limits (id TEXT PRIMARY KEY, platform TEXT NOT NULL, limit_remaining INTEGER,
              limit_total INTEGER, reset_time INTEGER, last_updated INTEGER NOT NULL,
              created_at INTEGER DEFAULT (unixepoch() * 1000) NOT NULL)""", """
            CREATE TABLE tool_configs (tool_name TEXT PRIMARY KEY, enabled INTEGER DEFAULT 1 NOT NULL, config TEXT,
              refresh_interval INTEGER, notifications INTEGER DEFAULT 1 NOT NULL,
              updated_at INTEGER DEFAULT (unixepoch() * 1000) NOT NULL)""", """
            CREATE TABLE app_state (key TEXT PRIMARY KEY, value TEXT, updated_at INTEGER DEFAULT (unixepoch() * 1000) NOT NULL)""",
            "CREATE INDEX idx_jobs_status ON jobs(status)",
            "CREATE INDEX idx_jobs_created_at ON jobs(created_at)",
            "CREATE INDEX idx_jobs_persisted_at ON jobs(persisted_at)",
            "CREATE INDEX idx_job_history_job_id ON job_history(job_id)",
            "CREATE INDEX idx_job_history_started_at ON job_history(started_at)",
            "CREATE INDEX idx_rate_limits_platform ON rate_limits(platform)",
            "CREATE INDEX idx_rate_limits_reset_time ON rate_limits(reset_time)",
            "CREATE INDEX idx_tool_configs_enabled ON tool_configs(enabled)");

    /** etl-core's tables (SQLModel, bidiac-de/etl-core commit 665ac953) that hold jobs and executions. */
    static final List<String> ETL_DDL = List.of("""
            CREATE TABLE jobtable (
            \tname VARCHAR NOT NULL,\s
            \tnum_of_retries INTEGER NOT NULL,\s
            \tfile_logging BOOLEAN NOT NULL,\s
            \tstrategy_type VARCHAR(7) NOT NULL,\s
            \tid VARCHAR NOT NULL,\s
            \tPRIMARY KEY (id)
            )""", """
            CREATE TABLE componenttable (
            \tname VARCHAR NOT NULL,\s
            \tdescription VARCHAR NOT NULL,\s
            \tcomp_type VARCHAR NOT NULL,\s
            \tid VARCHAR NOT NULL,\s
            \tjob_id VARCHAR NOT NULL,\s
            \tpayload JSON NOT NULL,\s
            \tPRIMARY KEY (id),\s
            \tCONSTRAINT uq_components_job_name UNIQUE (job_id, name),\s
            \tFOREIGN KEY(job_id) REFERENCES jobtable (id) ON DELETE CASCADE
            )""", """
            CREATE TABLE executiontable (
            \tid VARCHAR NOT NULL,\s
            \tjob_id VARCHAR NOT NULL,\s
            \tenvironment VARCHAR,\s
            \tstatus VARCHAR NOT NULL,\s
            \terror VARCHAR,\s
            \tstarted_at DATETIME NOT NULL,\s
            \tfinished_at DATETIME,\s
            \tPRIMARY KEY (id),\s
            \tFOREIGN KEY(job_id) REFERENCES jobtable (id) ON DELETE CASCADE
            )""", """
            CREATE TABLE executionattempttable (
            \tid VARCHAR NOT NULL,\s
            \texecution_id VARCHAR NOT NULL,\s
            \tattempt_index INTEGER NOT NULL,\s
            \tstatus VARCHAR NOT NULL,\s
            \terror VARCHAR,\s
            \tstarted_at DATETIME NOT NULL,\s
            \tfinished_at DATETIME,\s
            \tPRIMARY KEY (id),\s
            \tFOREIGN KEY(execution_id) REFERENCES executiontable (id) ON DELETE CASCADE
            )""",
            "CREATE INDEX ix_executiontable_environment ON executiontable (environment)",
            "CREATE INDEX ix_executiontable_status ON executiontable (status)",
            "CREATE INDEX ix_executiontable_job_id ON executiontable (job_id)",
            "CREATE INDEX ix_executionattempttable_status ON executionattempttable (status)",
            "CREATE INDEX ix_executionattempttable_execution_id ON executionattempttable (execution_id)");

    private static final String INSERT_JOB = "INSERT INTO jobs (id, type, name, priority, status, tool, endpoint, payload,"
            + " result, created_at, updated_at, started_at, completed_at, retry_count, persisted_at, recovery_attempts)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)";
    private static final String INSERT_RATE_LIMIT = "INSERT INTO rate_limits (id, platform, limit_remaining, limit_total,"
            + " reset_time, last_updated, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TOOL_CONFIG = "INSERT INTO tool_configs (tool_name, enabled, config,"
            + " refresh_interval, notifications, updated_at) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_APP_STATE = "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)";
    private static final String INSERT_ETL_JOB = "INSERT INTO jobtable (name, num_of_retries, file_logging, strategy_type,"
            + " id) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_COMPONENT = "INSERT INTO componenttable (name, description, comp_type, id, job_id,"
            + " payload) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_EXECUTION = "INSERT INTO executiontable (id, job_id, environment, status, error,"
            + " started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ATTEMPT = "INSERT INTO executionattempttable (id, execution_id, attempt_index,"
            + " status, error, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** etl-core writes naive local times with microseconds; the demo's writer ran in UTC. */
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[][] TOOLS = {{"github", "GitHub", "https://api.github.com"},
            {"gitlab", "GitLab", "https://gitlab.com/api/v4"}, {"jira", "Jira", "https://demo.atlassian.net/rest/api/3"}};
    private static final String[] JOB_TYPES = {"data-refresh", "cache-warm", "rate-limit-update"};
    private static final String[] ETL_ERRORS = {"FileNotFoundError: /srv/pipelines/etl/data/inventory.csv",
            "psycopg.OperationalError: connection to server at \"warehouse\" failed: timeout expired",
            "ValueError: column 'amount' could not be converted to float: 'n/a'"};

    private ToolDemo() {
    }

    /** Hyperpage jobs and etl-core executions over {@code start}..{@link DemoData#END}, sized by {@code runs}. */
    static void populate(PipescopeDatabase db, Random random, int runs, Instant start) {
        int jobs = Math.max(60, Math.min(20_000, runs / 12));
        int executions = Math.max(30, Math.min(10_000, runs / 40));
        db.connections().withWriterConnection("write the demo's Hyperpage and etl-core tables", c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String ddl : HYPERPAGE_DDL) {
                    st.execute(ddl);
                }
                for (String ddl : ETL_DDL) {
                    st.execute(ddl);
                }
                hyperpage(c, random, jobs, start);
                etl(c, random, executions, start);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    private static void hyperpage(Connection c, Random random, int count, Instant start) throws SQLException {
        long end = DemoData.END.toEpochMilli();
        long from = start.toEpochMilli();
        String[] tools = new String[TOOLS.length];
        for (int t = 0; t < TOOLS.length; t++) {
            tools[t] = toolJson(TOOLS[t]);
        }
        try (PreparedStatement job = c.prepareStatement(INSERT_JOB)) {
            long step = Math.max(1, (end - from) / count);
            for (int i = 0; i < count; i++) {
                int t = random.nextInt(TOOLS.length);
                long created = from + i * step + (long) (random.nextDouble() * step * 0.8);
                // the newest jobs are still queued or running
                boolean recent = i >= count - 4 || end - created < Duration.ofMinutes(30).toMillis();
                double roll = random.nextDouble();
                String status = recent ? (i % 2 == 0 ? "pending" : "running") : roll < 0.82 ? "completed"
                        : roll < 0.9 ? "failed" : roll < 0.95 ? "timeout" : "cancelled";
                long took = 2_000 + (long) (Math.exp(random.nextGaussian() * 0.7) * 45_000);
                long updated = status.equals("pending") ? created : Math.min(end, created + took);
                String type = JOB_TYPES[random.nextInt(JOB_TYPES.length)];
                int page = random.nextInt(5);
                int retries = status.equals("failed") || status.equals("timeout") ? 1 + random.nextInt(3)
                        : random.nextInt(15) == 0 ? 1 : 0;
                job.setString(1, TOOLS[t][0] + "-" + created + "-" + base36(random, 6));
                job.setString(2, type);
                job.setString(3, "refresh " + TOOLS[t][0] + " issues");
                job.setInt(4, 1 + random.nextInt(4));
                job.setString(5, status);
                // Hyperpage stores the whole Tool object, or NULL for jobs queued without one
                if (random.nextInt(25) == 0) {
                    job.setNull(6, Types.VARCHAR);
                } else {
                    job.setString(6, tools[t]);
                }
                job.setString(7, "/api/" + TOOLS[t][0] + "/issues");
                job.setString(8, "{\"tool\":\"" + TOOLS[t][0] + "\",\"page\":" + page + "}");
                switch (status) {
                    case "completed" -> job.setString(9, "{\"items\":" + (20 + random.nextInt(480)) + "}");
                    case "failed" -> job.setString(9, "{\"error\":\"HTTP 502 from " + TOOLS[t][2] + "\"}");
                    case "timeout" -> job.setString(9, "{\"error\":\"job exceeded 120000 ms\"}");
                    default -> job.setNull(9, Types.VARCHAR);
                }
                job.setLong(10, created);
                job.setLong(11, updated);
                if (status.equals("completed")) {
                    job.setLong(12, updated);
                } else {
                    job.setNull(12, Types.INTEGER);
                }
                job.setInt(13, retries);
                job.setLong(14, updated + 5);
                job.setInt(15, status.equals("running") && random.nextBoolean() ? 1 : 0);
                job.addBatch();
            }
            job.executeBatch();
        }
        long last = end - Duration.ofMinutes(1).toMillis();
        try (PreparedStatement limit = c.prepareStatement(INSERT_RATE_LIMIT)) {
            int[] totals = {5_000, 2_000, 1_000};
            for (int t = 0; t < TOOLS.length; t++) {
                limit.setString(1, TOOLS[t][0] + ":global");
                limit.setString(2, TOOLS[t][0]);
                limit.setInt(3, random.nextInt(totals[t]));
                limit.setInt(4, totals[t]);
                limit.setLong(5, end + Duration.ofMinutes(40).toMillis());
                limit.setLong(6, last);
                limit.setLong(7, from);
                limit.addBatch();
            }
            limit.executeBatch();
        }
        try (PreparedStatement config = c.prepareStatement(INSERT_TOOL_CONFIG)) {
            for (int t = 0; t < TOOLS.length; t++) {
                config.setString(1, TOOLS[t][0]);
                config.setInt(2, t == 2 ? 0 : 1);
                config.setString(3, "{\"baseUrl\":\"" + TOOLS[t][2] + "\",\"maxItems\":100}");
                config.setLong(4, t == 0 ? 60_000 : 300_000);
                config.setInt(5, 1);
                config.setLong(6, from);
                config.addBatch();
            }
            config.executeBatch();
        }
        try (PreparedStatement state = c.prepareStatement(INSERT_APP_STATE)) {
            String[][] values = {{"last_refresh", Long.toString(last)}, {"theme", "dark"}, {"dashboard_layout",
                    "{\"columns\":3,\"widgets\":[\"github\",\"gitlab\",\"jira\"]}"}};
            for (String[] v : values) {
                state.setString(1, v[0]);
                state.setString(2, v[1]);
                state.setLong(3, last);
                state.addBatch();
            }
            state.executeBatch();
        }
    }

    /** The JSON of a whole Hyperpage Tool object, as its job code stores it in {@code jobs.tool} (2–3 KB). */
    static String toolJson(String[] tool) {
        String slug = tool[0];
        StringBuilder widgets = new StringBuilder();
        String[] kinds = {"issues", "pull-requests", "activity", "deployments"};
        for (int w = 0; w < kinds.length; w++) {
            widgets.append(w == 0 ? "" : ",").append("{\"title\":\"").append(tool[1]).append(' ').append(kinds[w])
                    .append("\",\"type\":\"table\",\"headers\":[\"Title\",\"Repository\",\"Status\",\"Updated\"],")
                    .append("\"dynamic\":true,\"refreshInterval\":300000,\"displayName\":\"").append(kinds[w])
                    .append("\",\"apiEndpoint\":\"/api/").append(slug).append('/').append(kinds[w]).append("\"}");
        }
        StringBuilder apis = new StringBuilder();
        for (int a = 0; a < kinds.length; a++) {
            apis.append(a == 0 ? "" : ",").append('"').append(kinds[a]).append("\":{\"method\":\"GET\",")
                    .append("\"description\":\"List ").append(kinds[a]).append(" from ").append(tool[1])
                    .append("\",\"parameters\":{\"state\":{\"type\":\"string\",\"required\":false,")
                    .append("\"description\":\"open, closed or all\"},\"page\":{\"type\":\"number\",\"required\":false,")
                    .append("\"description\":\"page of results\"}},\"response\":{\"dataKey\":\"").append(kinds[a])
                    .append("\",\"description\":\"").append(kinds[a]).append(" with title, status and time\"}}");
        }
        return "{\"name\":\"" + tool[1] + "\",\"slug\":\"" + slug + "\",\"enabled\":true,"
                + "\"ui\":{\"icon\":\"" + slug + "-icon\",\"color\":\"bg-slate-700\",\"category\":\"code-management\","
                + "\"description\":\"" + tool[1] + " issues, merge activity and deployments\"},"
                + "\"widgets\":[" + widgets + "],\"apis\":{" + apis + "},"
                + "\"handlers\":{},\"capabilities\":[\"issues\",\"pull-requests\",\"activity\",\"rate-limit\"],"
                + "\"config\":{\"apiUrl\":\"" + tool[2] + "\",\"webUrl\":\"" + tool[2].replaceAll("/(api|rest).*$", "")
                + "\",\"rateLimit\":{\"requests\":5000,\"window\":3600000},\"pagination\":{\"defaultPageSize\":30,"
                + "\"maxPageSize\":100},\"formatHandler\":\"" + slug + "\"}}";
    }

    private static void etl(Connection c, Random random, int count, Instant start) throws SQLException {
        String[][] jobs = {{"orders_csv_to_csv", "0", "ROW"}, {"inventory_bulk_import", "2", "BULK"},
                {"customers_to_warehouse", "1", "BIGDATA"}, {"nightly_ledger_rollup", "3", "BULK"}};
        List<String> jobIds = new ArrayList<>();
        try (PreparedStatement job = c.prepareStatement(INSERT_ETL_JOB);
             PreparedStatement component = c.prepareStatement(INSERT_COMPONENT)) {
            for (String[] j : jobs) {
                String id = uuid(random);
                jobIds.add(id);
                job.setString(1, j[0]);
                job.setInt(2, Integer.parseInt(j[1]));
                job.setBoolean(3, j[0].startsWith("inventory"));
                job.setString(4, j[2]);
                job.setString(5, id);
                job.addBatch();
                String[][] parts = {{"reader", "read_csv", "in"}, {"filter", "filter", "mid"}, {"writer", "write_csv", "out"}};
                for (String[] part : parts) {
                    component.setString(1, part[0]);
                    component.setString(2, j[0].replace('_', ' ') + ": " + part[0]);
                    component.setString(3, part[1]);
                    component.setString(4, uuid(random));
                    component.setString(5, id);
                    component.setString(6, "{\"filepath\": \"/srv/pipelines/etl/data/" + j[0] + "_" + part[2]
                            + ".csv\", \"fields\": [{\"name\": \"id\", \"data_type\": \"string\"}]}");
                    component.addBatch();
                }
            }
            job.executeBatch();
            component.executeBatch();
        }
        String[] environments = {"PROD", "PROD", "TEST", "DEV", null};
        long from = start.toEpochMilli();
        long end = DemoData.END.toEpochMilli();
        long step = Math.max(1, (end - from) / count);
        try (PreparedStatement execution = c.prepareStatement(INSERT_EXECUTION);
             PreparedStatement attempt = c.prepareStatement(INSERT_ATTEMPT)) {
            for (int i = 0; i < count; i++) {
                int j = random.nextInt(jobs.length);
                int retries = Integer.parseInt(jobs[j][1]);
                String id = uuid(random);
                long at = from + i * step + (long) (random.nextDouble() * step * 0.5);
                boolean running = i == count - 1;
                int attempts = running ? 1 : 1 + (random.nextInt(6) == 0 ? Math.min(retries, 1 + random.nextInt(3)) : 0);
                boolean failed = !running && random.nextInt(10) == 0;
                long t = at;
                String error = null;
                for (int a = 1; a <= attempts; a++) {
                    boolean last = a == attempts;
                    String status = running ? "RUNNING" : !last || failed ? "FAILED" : "SUCCESS";
                    long took = 200 + (long) (Math.exp(random.nextGaussian() * 0.6) * 20_000);
                    String attemptError = status.equals("FAILED") ? ETL_ERRORS[random.nextInt(ETL_ERRORS.length)] : null;
                    error = attemptError == null ? error : attemptError;
                    attempt.setString(1, uuid(random));
                    attempt.setString(2, id);
                    attempt.setInt(3, a);
                    attempt.setString(4, status);
                    attempt.setString(5, attemptError);
                    attempt.setString(6, NAIVE.format(Instant.ofEpochMilli(t + 4)));
                    attempt.setString(7, running ? null : NAIVE.format(Instant.ofEpochMilli(t + took)));
                    attempt.addBatch();
                    t += took + 1_000;
                }
                String status = running ? "RUNNING" : failed ? "FAILED" : "SUCCESS";
                execution.setString(1, id);
                execution.setString(2, jobIds.get(j));
                execution.setString(3, environments[random.nextInt(environments.length)]);
                execution.setString(4, status);
                execution.setString(5, failed ? error : null);
                execution.setString(6, NAIVE.format(Instant.ofEpochMilli(at)));
                execution.setString(7, running ? null : NAIVE.format(Instant.ofEpochMilli(t)));
                execution.addBatch();
            }
            execution.executeBatch();
            attempt.executeBatch();
        }
    }

    /** A UUID4 (random, version 4, IETF variant) from the demo's seeded random, as Python's uuid4() prints it. */
    static String uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static String base36(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(random.nextInt(36), 36));
        }
        return out.toString();
    }
}
