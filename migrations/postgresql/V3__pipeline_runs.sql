-- Pipescope's run history on PostgreSQL: ../sqlite/V3 in PostgreSQL's types. Times are RFC 3339 UTC text
-- with a +00:00 offset, as on SQLite, so text order (byte order, COLLATE "C") is time order.
--
-- One column more than on SQLite: recorded_order, the order rows were inserted in. SQLite has it for free
-- (rowid); runs that start at the same instant are listed latest-recorded first, and that needs it.
CREATE TABLE pipeline_runs (
    id text COLLATE "C" PRIMARY KEY,
    pipeline_id text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    attempt bigint NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    started_at text COLLATE "C" NOT NULL,
    finished_at text COLLATE "C",
    updated_at text COLLATE "C" NOT NULL,
    duration_ms bigint,
    bytes_processed bigint NOT NULL DEFAULT 0,
    bytes_total bigint NOT NULL DEFAULT 0,
    chunks_processed bigint NOT NULL DEFAULT 0,
    chunks_total bigint NOT NULL DEFAULT 0,
    throughput_bytes_per_second double precision NOT NULL DEFAULT 0.0,
    compression_ratio double precision,
    error_count bigint NOT NULL DEFAULT 0,
    warning_count bigint NOT NULL DEFAULT 0,
    input_file_size_bytes bigint NOT NULL DEFAULT 0,
    output_file_size_bytes bigint NOT NULL DEFAULT 0,
    input_file_checksum text COLLATE "C",
    output_file_checksum text COLLATE "C",
    error_message text,
    recorded_order bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE CASCADE
);

-- list by pipeline newest first, and "is this the latest run of its pipeline" (ties: latest recorded first)
CREATE INDEX idx_pipeline_runs_pipeline_started ON pipeline_runs(pipeline_id, started_at, recorded_order);
-- list across pipelines by time
CREATE INDEX idx_pipeline_runs_started ON pipeline_runs(started_at, recorded_order);
-- stats: counts per status and duration percentiles read from the index alone
CREATE INDEX idx_pipeline_runs_stats ON pipeline_runs(pipeline_id, status, duration_ms,
    throughput_bytes_per_second);
-- stale runs: only the few running rows are indexed
CREATE INDEX idx_pipeline_runs_running ON pipeline_runs(updated_at) WHERE status = 'running';
