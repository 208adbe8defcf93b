-- Pipescope's run history: one row per run of a pipeline, which upstream's processing_metrics
-- (latest run only) cannot keep. Times are RFC 3339 UTC with a +00:00 offset, as upstream writes
-- them, so text order is time order. Deleting a pipeline deletes its runs (ON DELETE CASCADE), as it
-- deletes its processing_metrics row; archiving a pipeline keeps them.
CREATE TABLE IF NOT EXISTS pipeline_runs (
    id TEXT PRIMARY KEY,
    pipeline_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    updated_at TEXT NOT NULL,
    duration_ms INTEGER,
    bytes_processed INTEGER NOT NULL DEFAULT 0,
    bytes_total INTEGER NOT NULL DEFAULT 0,
    chunks_processed INTEGER NOT NULL DEFAULT 0,
    chunks_total INTEGER NOT NULL DEFAULT 0,
    throughput_bytes_per_second REAL NOT NULL DEFAULT 0.0,
    compression_ratio REAL,
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    input_file_size_bytes INTEGER NOT NULL DEFAULT 0,
    output_file_size_bytes INTEGER NOT NULL DEFAULT 0,
    input_file_checksum TEXT,
    output_file_checksum TEXT,
    error_message TEXT,
    FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE CASCADE
);

-- list by pipeline newest first, and "is this the latest run of its pipeline"
CREATE INDEX IF NOT EXISTS idx_pipeline_runs_pipeline_started ON pipeline_runs(pipeline_id, started_at);
-- list across pipelines by time
CREATE INDEX IF NOT EXISTS idx_pipeline_runs_started ON pipeline_runs(started_at);
-- stats: counts per status and duration percentiles read from the index alone
CREATE INDEX IF NOT EXISTS idx_pipeline_runs_stats ON pipeline_runs(pipeline_id, status, duration_ms,
    throughput_bytes_per_second);
-- stale runs: only the few running rows are indexed
CREATE INDEX IF NOT EXISTS idx_pipeline_runs_running ON pipeline_runs(updated_at) WHERE status = 'running';
