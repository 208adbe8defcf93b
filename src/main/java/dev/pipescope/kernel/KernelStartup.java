package dev.pipescope.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The kernel's start-up: starts JShell, imports the default packages, installs the notebook integrations found on
 * the class path (and later by {@code %jars}) and warms the compiler. Meanwhile a second thread finds the
 * integrations, makes their variables' values (Pipescope's opens the notebook's database) and then runs their
 * warm-ups, which go on after start-up while cells run. Requests that need JShell wait for it with
 * {@link #awaitRunner()}; problems an integration had are printed under the first cell ({@link #printReport()}).
 */
final class KernelStartup {

    /** Imports of JShell's own default startup, which the JShell API does not apply by itself. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.regex.*", "java.util.stream.*");
    /** The display functions; they need the kernel's JVM, so only in-process execution has them. */
    static final List<String> KERNEL_IMPORTS = List.of(
            "static dev.pipescope.kernel.Display.*", "dev.pipescope.kernel.MimeBundle");

    private final Integrations integrations;
    private final ShellSession.Mode mode;
    private final long timeoutMillis;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    private final Map<String, Object> sharedVariables = new ConcurrentHashMap<>();
    private final Set<String> imported = ConcurrentHashMap.newKeySet();
    private final StringBuilder report = new StringBuilder();
    private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
    private volatile CellRunner runner;
    private volatile RuntimeException failure;

    KernelStartup(Integrations integrations, ShellSession.Mode mode, long timeoutMillis) {
        this.integrations = integrations;
        this.mode = mode;
        this.timeoutMillis = timeoutMillis;
    }

    ShellSession.Mode mode() {
        return mode;
    }

    /**
     * Creates JShell, installs imports and integrations, and warms the compiler.
     *
     * @param analysisLock held while the compiler's analysis warms up after "ready", so that completion and
     *                     inspection requests (which take the same lock) do not use JShell meanwhile
     */
    void prepare(Object analysisLock) {
        // finding the integrations reads the jar and making their variables' values may open a database (~0.4 s of
        // CPU on a first start): both run on a second core while JShell starts on this one, then the warm-ups there
        CompletableFuture<List<Integrations.Contribution>> found = new CompletableFuture<>();
        CompletableFuture<List<Prepared>> discovered = new CompletableFuture<>();
        Thread background = new Thread(() -> {
            List<Prepared> prepared;
            try {
                List<Integrations.Contribution> contributions = discover(getClass().getClassLoader());
                found.complete(contributions);
                prepared = makeValues(contributions);
                discovered.complete(prepared);
            } catch (RuntimeException | Error e) {
                // start-up reports it under the first cell (prepare's join throws it)
                found.completeExceptionally(e);
                discovered.completeExceptionally(e);
                warmedUp.complete(null);
                return;
            }
            warmUp(prepared);
        }, "pipescope-integrations");
        background.setDaemon(true);
        background.start();
        try {
            ShellSession session = ShellSession.start(mode, System.getProperty("java.class.path"));
            session.setTimeoutMillis(timeoutMillis);
            CellRunner cellRunner = new CellRunner(session, this::installIntegrations);
            Map<String, String> imports = new LinkedHashMap<>();
            DEFAULT_IMPORTS.forEach(target -> imports.put(target, "kernel imports"));
            if (mode == ShellSession.Mode.LOCAL) {
                KERNEL_IMPORTS.forEach(target -> imports.put(target, "kernel imports"));
            }
            for (Integrations.Contribution contribution : found.join()) {
                contribution.imports.forEach(target -> imports.putIfAbsent(target, "integration " + contribution.name));
            }
            importAll(cellRunner, imports);
            runner = cellRunner;
            apply(discovered.join());
            session.warmUpExecution();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            ready.countDown();
        }
        if (failure == null) {
            // after "ready", so the first cell does not wait for it
            synchronized (analysisLock) {
                runner.assist().warmUp();
            }
        }
    }

    /**
     * The kernel's and the integrations' imports: the on-demand ones in one snippet (see {@link
     * ShellSession#importOnDemand}; 15 snippets cost ~0.3 s of CPU at every start), the others one a snippet. If
     * JShell rejects the group, each goes in alone, so that the report names the one that failed.
     *
     * @param targets import targets with how a failure names their source ("integration ...")
     */
    private void importAll(CellRunner cellRunner, Map<String, String> targets) {
        List<String> onDemand = targets.keySet().stream().filter(t -> t.endsWith(".*") && !imported.contains(t)).toList();
        if (!onDemand.isEmpty() && cellRunner.session().importOnDemand(onDemand)) {
            imported.addAll(onDemand);
        }
        targets.forEach((target, label) -> {
            if (imported.add(target)) {
                tryEval(cellRunner, "import " + target + ";", label);
            }
        });
    }

    /** Waits until JShell and the integrations are installed, or failed to be (then the first cell says why). */
    void awaitStarted() {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the integrations' warm-ups have run (the class-data training run waits for them). */
    void awaitWarmUps() {
        warmedUp.join();
    }

    /** The cell runner once JShell is up; waits for it while the kernel starts. */
    CellRunner awaitRunner() {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the kernel was starting", e);
        }
        if (failure != null) {
            throw new IllegalStateException("the kernel failed to start JShell: " + failure, failure);
        }
        return runner;
    }

    /** The cell runner if JShell is up, else null (an interrupt before the first cell has nothing to stop). */
    CellRunner runnerIfReady() {
        return runner;
    }

    /** After {@code %jars}: the new integrations are installed before the cell goes on, their warm-ups run behind it. */
    private void installIntegrations(ClassLoader loader) {
        List<Prepared> prepared = makeValues(discover(loader));
        apply(prepared);
        if (prepared.stream().anyMatch(p -> !p.contribution().warmUps.isEmpty())) {
            Thread thread = new Thread(() -> warmUp(prepared), "pipescope-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** An integration with the values of its variables, made before JShell needs them. */
    private record Prepared(Integrations.Contribution contribution, Map<String, Object> values, Map<String, RuntimeException> failures) {
    }

    /** In-process execution shares the integrations' own objects; a remote agent builds its own from text. */
    private List<Prepared> makeValues(List<Integrations.Contribution> found) {
        List<Prepared> prepared = new ArrayList<>();
        for (Integrations.Contribution contribution : found) {
            Map<String, Object> values = new java.util.HashMap<>();
            Map<String, RuntimeException> failures = new java.util.HashMap<>();
            if (mode == ShellSession.Mode.LOCAL) {
                for (Integrations.Variable<?> variable : contribution.variables) {
                    try {
                        values.put(variable.name(), variable.value().get());
                    } catch (RuntimeException e) {
                        failures.put(variable.name(), e);
                    }
                }
            }
            prepared.add(new Prepared(contribution, values, failures));
        }
        return prepared;
    }

    /**
     * Runs the integrations' warm-ups one after the other; one that fails is logged and the others still run. None
     * runs for a remote agent: they prepare this JVM's code, and its cells run in another.
     */
    private void warmUp(List<Prepared> prepared) {
        try {
            if (mode != ShellSession.Mode.LOCAL) {
                return;
            }
            for (Prepared p : prepared) {
                for (Runnable warmUp : p.contribution().warmUps) {
                    try {
                        warmUp.run();
                    } catch (RuntimeException | LinkageError e) {
                        KernelLog.warn("the warm-up of integration " + p.contribution().name
                                + " failed (cells are unaffected; their first runs may be slower)", e);
                    }
                }
            }
        } finally {
            warmedUp.complete(null);
        }
    }

    private List<Integrations.Contribution> discover(ClassLoader loader) {
        try {
            return integrations.discover(loader);
        } catch (ServiceConfigurationError | RuntimeException e) {
            report("A notebook integration could not be loaded: " + e);
            return List.of();
        }
    }

    private void apply(List<Prepared> found) {
        CellRunner cellRunner = runner;
        for (Prepared prepared : found) {
            Integrations.Contribution contribution = prepared.contribution();
            String label = "integration " + contribution.name;
            for (String target : contribution.imports) {
                // each import is a JShell snippet of its own (~20 ms): skip those already in place
                if (imported.add(target)) {
                    tryEval(cellRunner, "import " + target + ";", label);
                }
            }
            for (Integrations.Variable<?> variable : contribution.variables) {
                shareVariable(cellRunner, variable, prepared, label);
            }
            contribution.cellMagics.forEach(cellRunner::addCellMagic);
            for (String code : contribution.startupCode) {
                tryEval(cellRunner, code, label);
            }
            synchronized (shutdownHooks) {
                shutdownHooks.addAll(contribution.shutdownHooks);
            }
        }
    }

    private void shareVariable(CellRunner cellRunner, Integrations.Variable<?> variable, Prepared prepared, String label) {
        if (mode != ShellSession.Mode.LOCAL) {
            // a remote agent cannot hold the kernel's objects: it builds its own
            tryEval(cellRunner, variable.standaloneDeclaration(), label);
            return;
        }
        RuntimeException failed = prepared.failures().get(variable.name());
        if (failed != null) {
            report(label + " could not make the variable '" + variable.name() + "': " + failed);
            return;
        }
        Object value = prepared.values().get(variable.name());
        if (value == null) {
            report(label + " made no value for the variable '" + variable.name() + "'");
            return;
        }
        sharedVariables.put(variable.name(), value);
        tryEval(cellRunner, variable.kernelDeclaration(), label);
    }

    /** A value an integration shared with notebooks (see {@link KernelVariables}). */
    Object sharedVariable(String name) {
        Object value = sharedVariables.get(name);
        if (value == null) {
            throw new IllegalStateException("no shared variable '" + name + "' in this kernel (shared: "
                    + new TreeSet<>(sharedVariables.keySet()) + ")");
        }
        return value;
    }

    private void tryEval(CellRunner cellRunner, String code, String label) {
        try {
            cellRunner.session().eval(code, label, 0);
        } catch (CellError e) {
            report(label + " failed: " + e.ename() + ": " + e.getMessage());
        }
    }

    /** Start-up problems are printed under the first cell that runs, where the user sees them. */
    private void report(String problem) {
        synchronized (report) {
            report.append(problem).append('\n');
        }
    }

    /** Prints the start-up problems not yet shown to the running cell's standard error. */
    void printReport() {
        synchronized (report) {
            if (report.length() > 0) {
                System.err.print(report);
                report.setLength(0);
            }
        }
    }

    /** Runs the integrations' shutdown hooks; one that fails is reported and the others still run. */
    void runShutdownHooks() {
        List<Runnable> hooks;
        synchronized (shutdownHooks) {
            hooks = new ArrayList<>(shutdownHooks);
        }
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                KernelLog.warn("an integration's shutdown hook failed: " + e);
            }
        }
    }
}
