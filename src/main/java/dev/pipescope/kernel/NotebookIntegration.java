package dev.pipescope.kernel;

/**
 * How a library on the kernel's class path prepares notebooks for itself, in the spirit of the
 * Kotlin kernel's {@code JupyterIntegration}: it declares imports, startup code and renderers for its
 * types. Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.pipescope.kernel.NotebookIntegration}) when the kernel starts and
 * whenever {@code %jars} adds jars. The kernel knows nothing else about them.
 */
public interface NotebookIntegration {

    /** Declares what this library contributes. Called once per kernel session. */
    void configure(IntegrationContext context);
}
