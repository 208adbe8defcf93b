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

    /**
     * Declares a notebook variable {@code name} holding a value the integration made (e.g. a session
     * whose renderers and shutdown hook the integration also holds). The kernel gives JShell the live
     * {@code value}; where there is no kernel (the plain jshell startup script) the variable is
     * initialized with the Java expression {@code standaloneInitializer} instead. Declared before the
     * startup code runs, so startup code can use it.
     */
    <T> IntegrationContext addVariable(String name, Class<T> type, java.util.function.Supplier<? extends T> value,
                                       String standaloneInitializer);

    /** Adds the cell magic {@code %%name}: cells starting with it are rewritten to Java by {@code magic}. */
    IntegrationContext addCellMagic(String name, CellMagic magic);

    /**
     * Work that makes this library's first cells fast without touching what notebooks see: loading and
     * running once the code their cells will call (a chart drawn from made-up rows, a small read). The kernel
     * runs it on a background thread of its own while JShell starts and cells run, and in the install's
     * class-data training run (so that the classes it loads go into the archive). It must not print, change
     * any state notebooks see, or write to their files; it may run concurrently with cells. If it throws,
     * the kernel log says so and cells are unaffected. Example: {@code context.addWarmUp(() -> draw(sample()))}.
     */
    IntegrationContext addWarmUp(Runnable warmUp);

    /** Runs when the kernel shuts down or restarts, e.g. to close resources the startup code opened. */
    IntegrationContext onShutdown(Runnable hook);

    /** A setting from the kernel's environment (e.g. PIPESCOPE_DB), if set and not blank. */
    default java.util.Optional<String> environment(String name) {
        return java.util.Optional.ofNullable(environment().get(name)).filter(v -> !v.isBlank());
    }

    /** The kernel's whole environment (for settings named by pattern, such as a library's per-alias variables). */
    java.util.Map<String, String> environment();
}
