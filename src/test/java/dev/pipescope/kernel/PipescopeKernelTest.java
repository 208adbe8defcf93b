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
        // the helpers are imported from one class; the shared session variable binds them to itself
        assertEquals(true, script.contains("import static dev.pipescope.notebook.Helpers.*;\n"), script);
        assertEquals(true, script.contains("dev.pipescope.notebook.NotebookSession pipescope = "
                + "NotebookSession.forHelpers(NotebookSession.fromEnvironment());"), script);
    }
}
