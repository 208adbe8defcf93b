package dev.pipescope.source.hyperpage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Hyperpage's {@code jobs.tool}: its job queue stores {@code JSON.stringify(tool)}, the whole Tool object
 * ({@code {"name":"GitHub","slug":"github","enabled":true,"ui":{...},...}}, 2–3 KB), or NULL, and reads
 * it back with {@code JSON.parse}. Here a job is shown by the tool's slug (the key of
 * {@code tool_configs}, {@code rate_limits} and the job id's prefix), else its name; the stored text
 * stays reachable as {@code Job.toolJson()}.
 */
final class JobTools {
    private static final ObjectReader READER = new ObjectMapper().reader();

    private JobTools() {}

    /**
     * The tool a stored value names: {@code slug}, else {@code name}, of a Tool object; the string of a
     * JSON string; text that is not JSON as it is (older files, hand-written rows); null for NULL.
     */
    static String name(String stored) {
        if (stored == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = READER.readTree(stored);
        } catch (JsonProcessingException e) {
            return stored; // not JSON: a bare tool name, shown as written
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return null;
        }
        if (tree.isTextual()) {
            return tree.textValue();
        }
        if (tree.isObject()) {
            for (var field : new String[] {"slug", "name"}) {
                var value = tree.get(field);
                if (value != null && value.isTextual() && !value.textValue().isBlank()) {
                    return value.textValue();
                }
            }
        }
        return stored; // JSON without a slug or name: the text itself is all there is to show
    }

    /**
     * What to store for a tool given to {@code submit}: a Tool object's JSON as given, a bare name as a
     * JSON string, so Hyperpage's {@code JSON.parse} reads every row Pipescope writes.
     */
    static String toStored(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        try {
            var tree = READER.readTree(given);
            if (tree != null && tree.isObject()) {
                return given;
            }
        } catch (JsonProcessingException e) {
            // a bare name: stored as a JSON string below
        }
        return TextNode.valueOf(given).toString();
    }
}
