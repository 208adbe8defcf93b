-- Workload 3: one pipeline's whole aggregate by name in one statement, the text Pipescope's
-- findByName runs (PipelineSql.BY_NAME): kind 0 = the pipeline row, 1 = a stage joined with one of
-- its parameters, 2 = a configuration entry.
SELECT 0, p.id, p.name, p.archived, p.created_at, p.updated_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM pipelines p WHERE p.name = :name AND p.archived = false
UNION ALL SELECT 1, s.pipeline_id, s.id, s.name, s.stage_type, s.enabled, s.stage_order, s.algorithm,
       s.parallel_processing, s.chunk_size, s.archived, s.created_at, s.updated_at, sp.key, sp.value
FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id
LEFT JOIN stage_parameters sp ON sp.stage_id = s.id WHERE p.name = :name AND p.archived = false
UNION ALL SELECT 2, c.pipeline_id, c.key, c.value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM pipeline_configuration c JOIN pipelines p ON p.id = c.pipeline_id WHERE p.name = :name AND p.archived = false
