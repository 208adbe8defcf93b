package dev.pipescope.domain;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of the ETL framework's {@code componenttable}; the JSON payload parsed. */
public record EtlComponent(String id, String jobId, String name, String description, String compType,
                           JsonNode payload) {}
