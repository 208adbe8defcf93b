-- The adaptive pipeline tool's tables on PostgreSQL: the same tables, columns, keys and indexes as
-- ../sqlite/V1, in PostgreSQL's types (SQLite INTEGER is bigint, REAL double precision). Timestamps stay
-- RFC 3339 text as on SQLite, so text order is time order and one set of mappers and rules serves both.
-- Every text column compares byte by byte (COLLATE "C", SQLite's BINARY): keys, names and timestamps sort
-- as on SQLite whatever the database's locale, which would otherwise skip punctuation such as the '~'
-- that bounds an open time range.

CREATE TABLE pipelines (
    id text COLLATE "C" PRIMARY KEY, name text COLLATE "C" NOT NULL UNIQUE,
    archived boolean NOT NULL DEFAULT false,
    created_at text COLLATE "C" NOT NULL, updated_at text COLLATE "C" NOT NULL);

CREATE TABLE pipeline_configuration (
    pipeline_id text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, value text COLLATE "C" NOT NULL,
    archived boolean NOT NULL DEFAULT false, created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (pipeline_id, key),
    FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE CASCADE);

CREATE TABLE pipeline_stages (
    id text COLLATE "C" PRIMARY KEY, pipeline_id text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL,
    stage_type text COLLATE "C" NOT NULL, enabled boolean NOT NULL DEFAULT true, stage_order bigint NOT NULL,
    algorithm text COLLATE "C" NOT NULL, parallel_processing boolean NOT NULL DEFAULT false, chunk_size bigint,
    archived boolean NOT NULL DEFAULT false, created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE CASCADE);

CREATE TABLE stage_parameters (
    stage_id text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, value text COLLATE "C" NOT NULL,
    archived boolean NOT NULL DEFAULT false, created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (stage_id, key),
    FOREIGN KEY (stage_id) REFERENCES pipeline_stages(id) ON DELETE CASCADE);

CREATE TABLE processing_metrics (
    pipeline_id text COLLATE "C" PRIMARY KEY, bytes_processed bigint NOT NULL DEFAULT 0,
    bytes_total bigint NOT NULL DEFAULT 0, chunks_processed bigint NOT NULL DEFAULT 0,
    chunks_total bigint NOT NULL DEFAULT 0, start_time_rfc3339 text COLLATE "C", end_time_rfc3339 text COLLATE "C",
    processing_duration_ms bigint, throughput_bytes_per_second double precision NOT NULL DEFAULT 0.0,
    compression_ratio double precision, error_count bigint NOT NULL DEFAULT 0,
    warning_count bigint NOT NULL DEFAULT 0, input_file_size_bytes bigint NOT NULL DEFAULT 0,
    output_file_size_bytes bigint NOT NULL DEFAULT 0, input_file_checksum text COLLATE "C",
    output_file_checksum text COLLATE "C",
    FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE CASCADE);

CREATE INDEX idx_pipeline_stages_pipeline_id ON pipeline_stages(pipeline_id);
CREATE INDEX idx_pipeline_stages_order ON pipeline_stages(pipeline_id, stage_order);
CREATE INDEX idx_pipeline_configuration_pipeline_id ON pipeline_configuration(pipeline_id);
CREATE INDEX idx_stage_parameters_stage_id ON stage_parameters(stage_id);
CREATE INDEX idx_pipelines_name ON pipelines(name) WHERE archived = false;
