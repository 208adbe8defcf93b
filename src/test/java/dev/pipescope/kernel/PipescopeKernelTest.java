package dev.pipescope.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PipescopeKernelTest {

    @Test
    void startupScriptHasTheDefaultAndIntegrationImports() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipescopeKernel.printStartupScript(new PrintStream(out, true, StandardCharsets.UTF_8));
        String script = out.toString(StandardCharsets.UTF_8);
        assertEquals(true, script.contains("import java.util.stream.*;\n"), script);
        assertEquals(true, script.contains("// dev.pipescope.notebook.PipescopeIntegration\n"), script);
        assertEquals(true, script.contains("import java.time.*;\n"), script);
        // the shared session variable is declared before the helpers that use it
        int variable = script.indexOf("dev.pipescope.notebook.NotebookSession pipescope = NotebookSession.fromEnvironment();");
        int helper = script.indexOf("Table pipelines() { return pipescope.pipelines(); }");
        assertEquals(true, variable > 0 && helper > variable, script);
    }
}
