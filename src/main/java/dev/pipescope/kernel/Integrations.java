package dev.pipescope.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Finds {@link NotebookIntegration}s and collects what they contribute, each one only once. */
final class Integrations {

    /** What one integration asked for. */
    static final class Contribution implements IntegrationContext {
        final String name;
        final List<String> imports = new ArrayList<>();
        final List<String> startupCode = new ArrayList<>();
        final List<Runnable> shutdownHooks = new ArrayList<>();
        final List<Runnable> warmUps = new ArrayList<>();
        final List<Variable<?>> variables = new ArrayList<>();
        final java.util.Map<String, CellMagic> cellMagics = new java.util.LinkedHashMap<>();
        private final Renderers renderers;

        Contribution(String name, Renderers renderers) {
            this.name = name;
            this.renderers = renderers;
        }

        @Override
        public IntegrationContext addImport(String importTarget) {
            String target = importTarget.strip();
            if (target.startsWith("import ")) {
                target = target.substring("import ".length()).strip();
            }
            if (target.endsWith(";")) {
                target = target.substring(0, target.length() - 1);
            }
            imports.add(target);
            return this;
        }

        @Override
        public IntegrationContext addStartupCode(String code) {
            startupCode.add(code);
            return this;
        }

        @Override
        public <T> IntegrationContext addRenderer(Class<T> type, Function<? super T, MimeBundle> renderer) {
            if (renderers != null) {
                renderers.register(type, renderer);
            }
            return this;
        }

        @Override
        public <T> IntegrationContext addVariable(String name, Class<T> type, java.util.function.Supplier<? extends T> value,
                                                  String standaloneInitializer) {
            if (!javax.lang.model.SourceVersion.isIdentifier(name) || javax.lang.model.SourceVersion.isKeyword(name)) {
                throw new IllegalArgumentException("not a Java variable name: '" + name + "'");
            }
            variables.add(new Variable<>(name, type, value, standaloneInitializer));
            return this;
        }

        @Override
        public IntegrationContext addCellMagic(String name, CellMagic magic) {
            if (!name.matches("[A-Za-z][\\w-]*")) {
                throw new IllegalArgumentException("not a magic name: '" + name + "'");
            }
            cellMagics.put(name, magic);
            return this;
        }

        @Override
        public IntegrationContext addWarmUp(Runnable warmUp) {
            warmUps.add(java.util.Objects.requireNonNull(warmUp, "warmUp"));
            return this;
        }

        @Override
        public IntegrationContext onShutdown(Runnable hook) {
            shutdownHooks.add(hook);
            return this;
        }

        @Override
        public Map<String, String> environment() {
            return System.getenv();
        }
    }

    /** A variable an integration shares with notebooks. */
    record Variable<T>(String name, Class<T> type, java.util.function.Supplier<? extends T> value, String standaloneInitializer) {
        String standaloneDeclaration() {
            return type.getCanonicalName() + " " + name + " = " + standaloneInitializer + ";";
        }

        String kernelDeclaration() {
            String typeName = type.getCanonicalName();
            return typeName + " " + name + " = " + KernelVariables.class.getName() + ".get(\"" + name + "\", "
                    + typeName + ".class);";
        }
    }

    private final Set<String> installed = ConcurrentHashMap.newKeySet();
    private final Renderers renderers;
    private final Function<ClassLoader, Iterable<NotebookIntegration>> finder;

    Integrations(Renderers renderers) {
        this(renderers, loader -> ServiceLoader.load(NotebookIntegration.class, loader));
    }

    /** @param finder the integrations a class loader sees (the kernel's: {@link ServiceLoader}; tests give their own) */
    Integrations(Renderers renderers, Function<ClassLoader, Iterable<NotebookIntegration>> finder) {
        this.renderers = renderers;
        this.finder = finder;
    }

    /** The integrations visible to {@code loader} that were not configured yet. */
    List<Contribution> discover(ClassLoader loader) {
        List<Contribution> found = new ArrayList<>();
        for (NotebookIntegration integration : finder.apply(loader)) {
            String name = integration.getClass().getName();
            if (installed.add(name)) {
                Contribution contribution = new Contribution(name, renderers);
                integration.configure(contribution);
                found.add(contribution);
            }
        }
        return found;
    }
}
