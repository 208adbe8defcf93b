-- Workload 2: throughput per pipeline per UTC day over succeeded runs (started_at is RFC 3339 text
-- with a +00:00 offset, so its first ten characters are the UTC date).
SELECT p.name AS pipeline, substr(r.started_at, 1, 10) AS day, COUNT(*) AS runs,
       SUM(r.bytes_processed) AS bytes, SUM(r.duration_ms) AS duration_ms,
       SUM(r.bytes_processed) * 1000.0 / SUM(r.duration_ms) AS throughput_bytes_per_s
FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
WHERE r.status = 'succeeded' AND r.duration_ms > 0
GROUP BY p.name, day
ORDER BY p.name, day
