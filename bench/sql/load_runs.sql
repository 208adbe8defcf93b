-- Workload 1: every Pipescope run with its pipeline's name, newest first: the rows of Pipescope's
-- runs table. The baselines (pandas, sqlite3 CLI) run this text as a user would write it.
SELECT p.name AS pipeline, r.status, r.attempt, r.started_at, r.finished_at, r.duration_ms,
       r.bytes_processed, r.throughput_bytes_per_second, r.error_message, r.id
FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
ORDER BY r.started_at DESC, r.rowid DESC
