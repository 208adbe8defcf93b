-- Workload 2, the pandas way: fetch the raw inputs of throughput per pipeline per day and leave the
-- filtering, the day bucketing and the grouping to the data frame (throughput_by_day.sql does it all in SQL).
SELECT p.name AS pipeline, r.status, r.started_at, r.bytes_processed, r.duration_ms
FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
