package dev.pipescope.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of dagger's {@code artifacts} table as read: the value and the form it was stored in.
 *
 * <pre>{@code
 * db.dags().artifacts("triage_agent").forEach(a -> System.out.println(a.nodeId() + "/" + a.key()
 *         + " = " + a.value() + " (" + a.form() + ")"));
 * }</pre>
 *
 * @param dagId  the DAG, as stored
 * @param nodeId the node
 * @param key    the key within the node
 * @param form   {@link ArtifactForm#CACHE} for {@code {"value": ...}} rows, {@link ArtifactForm#JSON} for
 *               {@code set_json} rows
 * @param value  the value: what is inside {@code {"value": ...}}, or the stored JSON as given (JSON null
 *               for a stored {@code null})
 */
public record DagArtifact(String dagId, String nodeId, String key, ArtifactForm form, JsonNode value) {}
