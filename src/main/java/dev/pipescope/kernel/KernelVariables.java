package dev.pipescope.kernel;

/**
 * How JShell code reaches a value an integration shared with {@link IntegrationContext#addVariable}: the
 * kernel declares the notebook variable with this call in its initializer.
 */
public final class KernelVariables {

    private KernelVariables() {
    }

    public static <T> T get(String name, Class<T> type) {
        return type.cast(JShellKernel.running().sharedVariable(name));
    }
}
