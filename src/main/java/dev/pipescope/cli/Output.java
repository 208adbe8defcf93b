package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipescope.domain.Timestamps;
import dev.pipescope.ops.Backup;
import dev.pipescope.ops.ValidationResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** How commands print: label/value tables for people, JSON for scripts. */
final class Output {
    private Output() {}

    /** The mapper of every command's JSON, made on first use: a table printed needs no Jackson. */
    static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + node, e);
        }
        out.flush();
    }

    static void table(PrintWriter out, List<Map.Entry<String, String>> rows) {
        int width = rows.stream().mapToInt(r -> r.getKey().length()).max().orElse(0);
        for (var row : rows) {
            out.printf("%-" + width + "s  %s%n", row.getKey(), row.getValue());
        }
        out.flush();
    }

    static ObjectNode backup(Backup backup) {
        var json = mapper().createObjectNode();
        json.put("name", backup.name());
        json.put("file", backup.file().toString());
        json.put("createdAt", Timestamps.format(backup.createdAt()));
        if (backup.metadata().isPresent()) {
            json.set("metadata", backup.metadata().get().toJson(mapper()));
        } else {
            json.putNull("metadata");
            json.put("metadataProblem", backup.metadataProblem().orElse("no metadata"));
        }
        return json;
    }

    static ObjectNode validation(ValidationResult result) {
        var json = mapper().createObjectNode();
        json.put("backup", result.backup().toString());
        json.put("ok", result.ok());
        var checks = json.putArray("checks");
        for (var check : result.checks()) {
            var node = checks.addObject();
            node.put("name", check.name());
            node.put("passed", check.passed());
            node.put("detail", check.detail());
        }
        return json;
    }

    static void validation(PrintWriter out, ValidationResult result) {
        out.println((result.ok() ? "VALID    " : "INVALID  ") + result.backup());
        for (var check : result.checks()) {
            out.printf("  %-4s %-10s %s%n", check.passed() ? "ok" : "FAIL", check.name(), check.detail());
        }
        out.flush();
    }
}
