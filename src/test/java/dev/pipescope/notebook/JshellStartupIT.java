package dev.pipescope.notebook;

import dev.pipescope.demo.DemoData;

import dev.pipescope.Pipescope;
import dev.pipescope.demo.DemoScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helpers work in plain jshell: kernel/jshell with the startup generated from the integrations. */
class JshellStartupIT {

    @TempDir
    Path dir;

    @Test
    void helpersRunInPlainJshellOnPipescopeDb() throws Exception {
        Path root = Path.of(System.getProperty("pipescope.root", System.getProperty("user.dir")));
        Path jar = Path.of(System.getProperty("pipescope.jar", root.resolve("target/pipescope.jar").toString()));
        Path db = dir.resolve("demo.db");
        int treeNodes;
        try (var demo = DemoData.create(db, DemoScale.SMALL)) {
            treeNodes = demo.dags().loadExecutionTree("train_model").orElseThrow().nodes().size();
        }
        Path input = Files.writeString(dir.resolve("input.jsh"), String.join("\n",
                "System.out.println(show(pipelines(), 4).text());",
                "System.out.println(\"tree rows: \" + tree(\"train_model\").rowCount());",
                "System.out.println(\"sql: \" + sql(\"SELECT count(*) AS n FROM pipelines\").longColumn(\"n\").get(0));",
                // bare expressions: jshell shows tables and Pipescope records as aligned text tables
                "pipescope.db().pipelines().listIncludingArchived().subList(0, 2)",
                "Integer.parseInt(\"not a number\")",
                "/exit", ""));
        ProcessBuilder builder = new ProcessBuilder(List.of(root.resolve("kernel/jshell").toString(), "-q"))
                .redirectErrorStream(true).redirectInput(input.toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("PIPESCOPE_DB", db.toString());
        builder.environment().put("PIPESCOPE_JAR", jar.toString());
        Process jshell = builder.start();
        if (!jshell.waitFor(180, TimeUnit.SECONDS)) {
            jshell.descendants().forEach(ProcessHandle::destroyForcibly);
            jshell.destroyForcibly();
            throw new IllegalStateException("jshell did not finish in 180 s");
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertEquals(0, jshell.exitValue(), out);
        // twelve active pipelines and the demo's two archived ones
        assertTrue(out.contains("pipelines: 14 rows") && out.contains("… 10 more rows …"), out);
        assertTrue(out.contains("tree rows: " + treeNodes), out);
        assertTrue(out.contains("sql: 14"), out);
        assertTrue(out.contains("Pipeline: 2 rows"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("id ") && l.contains(" name ") && l.contains("stages")), out);
        assertTrue(out.contains("NumberFormatException"), out);
    }
}
