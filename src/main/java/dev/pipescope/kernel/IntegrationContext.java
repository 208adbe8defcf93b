package dev.pipescope.kernel;

import java.util.function.Function;

/** What a {@link NotebookIntegration} may contribute to a kernel session. */
public interface IntegrationContext {

    /**
     * Adds an import to every notebook, written as after the {@code import} keyword:
     * {@code "java.time.*"}, {@code "static java.lang.Math.max"}.
     */
    IntegrationContext addImport(String importTarget);

    /** Java (JShell) code run once after the imports, e.g. to define helper methods. */
    IntegrationContext addStartupCode(String code);

    /** Renders values of {@code type} (and its subtypes) whenever they are a cell's result or displayed. */
    <T> IntegrationContext addRenderer(Class<T> type, Function<? super T, MimeBundle> renderer);

    /** Runs when the kernel shuts down or restarts, e.g. to close resources the startup code opened. */
    IntegrationContext onShutdown(Runnable hook);

    /** A setting from the kernel's environment (e.g. PIPESCOPE_DB), if set. */
    java.util.Optional<String> environment(String name);
}
